using System.Diagnostics;
using OrdersFunctions.RedisStreams.Configuration;
using StackExchange.Redis;

namespace OrdersFunctions.Bench;

/// <summary>
/// Retention on vs off: consume+ack of the same number of entries (1 group x 1 consumer), alternating off and on
/// twice and keeping each side's best run (the machine is shared; the best run is the least disturbed), then the
/// stream length once everything has drained with retention on: bounded by the min-age window (here
/// <see cref="MinAge"/>) plus a macro-node of slack, not by the number of entries published.
/// </summary>
internal static class RetentionPhase
{
    /// <summary>A small minimum age, so the bench sees retention act within seconds (the app's default is 1
    /// hour).</summary>
    public static readonly TimeSpan MinAge = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    public static async Task<RetentionFigures> RunAsync(string connectionString, IDatabase db, BenchOptions options)
    {
        double bestOff = 0, bestOn = 0;
        long lengthAtDrain = 0, lengthAfterWindow = 0;
        for (var round = 0; round < 2; round++)
        {
            bestOff = Math.Max(bestOff, (await Phases.ConsumeAsync(connectionString, db, options, 1, 1, RetentionOff,
                name: "retention-off")).PerSecond);
            bestOn = Math.Max(bestOn, (await Phases.ConsumeAsync(connectionString, db, options, 1, 1, RetentionOn,
                async stream =>
                {
                    lengthAtDrain = await db.StreamLengthAsync(stream);
                    // Every entry is older than MinAge by now or soon; the next retention runs should trim them all.
                    var clock = Stopwatch.StartNew();
                    while (clock.Elapsed < MinAge + Interval * 4)
                    {
                        lengthAfterWindow = await db.StreamLengthAsync(stream);
                        if (lengthAfterWindow <= 100 && clock.Elapsed > MinAge)
                            break;
                        await Task.Delay(100);
                    }
                }, name: "retention-on")).PerSecond);
        }
        return new RetentionFigures(bestOff, bestOn, lengthAtDrain, lengthAfterWindow);
    }

    // Retention runs from the claim sweep, so both sides sweep every Interval (the default is 5 s, longer than a
    // phase): the two differ in retention only.
    private static void RetentionOff(StreamSubscriberOptions options) => options.ClaimInterval = Interval;

    private static void RetentionOn(StreamSubscriberOptions options)
    {
        options.ClaimInterval = Interval;
        options.Retention = true;
        options.RetentionMinAge = MinAge;
        options.RetentionInterval = Interval;
    }
}

/// <summary>Consume+ack per second with retention off and on, and the stream length at drain and after the
/// window.</summary>
internal sealed record RetentionFigures(
    double OffPerSecond, double OnPerSecond, long LengthAtDrain, long LengthAfterWindow);
