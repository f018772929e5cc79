using System.Globalization;
using OrdersFunctions.RedisStreams.Overview;

namespace OrdersFunctions.Operations.Overview;

/// <summary>
/// The overview in the JSON shape of the operations API (<c>GET /api/ops/overview</c>, docs/ops-api.md), field for
/// field and in its order: ages in seconds rounded to milliseconds, times ISO 8601 UTC, absent values null. One shape
/// for the app's HTTP function and the command line's <c>status --json</c>; serialise it with camelCase-preserving
/// options that write nulls.
/// </summary>
public static class OverviewContract
{
    /// <summary>The shared snapshot as of <paramref name="now"/>: when it was read and how old it is.</summary>
    public static object Of(OverviewSnapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Of(snapshot.TakenAt, snapshot.Streams, snapshot.AgeAt(now).TotalSeconds);
    }

    /// <summary>The overview of <paramref name="streams"/> read at <paramref name="generatedAt"/>.</summary>
    public static object Of(
        DateTimeOffset generatedAt, IEnumerable<StreamOverview> streams, double ageSeconds = 0) => new
    {
        generatedAt = generatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ageSeconds = Round(ageSeconds),
        streams = streams.Select(s => new
        {
            name = s.Name,
            length = s.Length,
            firstId = s.FirstId,
            lastId = s.LastId,
            oldestEntryAgeSeconds = Round(s.OldestEntryAgeSeconds),
            retention = new
            {
                floorId = s.Retention.FloorId,
                heldBy = s.Retention.HeldBy,
                minAgeSeconds = s.Retention.MinAgeSeconds,
                maxAgeSeconds = s.Retention.MaxAgeSeconds,
                maxLength = s.Retention.MaxLength,
            },
            deadLetterStream = s.DeadLetterStream,
            deadLetterLength = s.DeadLetterLength,
            deadLetterCountsExact = s.DeadLetterCountsExact,
            deadLetterLastId = s.DeadLetterLastId,
            groups = s.Groups.Select(g => new
            {
                name = g.Name,
                lag = g.Lag,
                lagKind = LagKind(g.LagEstimate.Source),
                pending = g.Pending,
                oldestPendingAgeSeconds = Round(g.OldestPendingAgeSeconds),
                deadLetters = g.DeadLetters,
                lastDeliveredId = g.LastDeliveredId,
                entriesRead = g.EntriesRead,
                consumerCount = g.ConsumerCount,
                consumersNotShown = g.ConsumersNotShown,
                consumerStates = new
                {
                    alive = g.ConsumerStates.Alive, idle = g.ConsumerStates.Idle, dead = g.ConsumerStates.Dead,
                },
                // "alive" means: took something within claimMinIdleSeconds, or its subscriber said so within
                // seenWithinSeconds.
                liveness = new
                {
                    claimMinIdleSeconds = Round(g.Liveness.ClaimMinIdle.TotalSeconds),
                    seenWithinSeconds = Round(g.Liveness.SeenWithin.TotalSeconds),
                },
                consumers = g.Consumers.Select(c => new
                {
                    name = c.Name,
                    pending = c.Pending,
                    idleSeconds = Round(c.IdleSeconds),
                    inactiveSeconds = Round(c.InactiveSeconds),
                    state = c.State.ToString().ToLowerInvariant(),
                }),
            }),
        }),
    };

    /// <summary>What the lag figure is: <c>exact</c> (Redis's own, or every entry counted), <c>estimate</c> (from
    /// Redis's counters after deletions) or <c>atLeast</c> (a capped count: the lag is at least that).</summary>
    private static string LagKind(LagSource source) => source switch
    {
        LagSource.Reported or LagSource.Counted => "exact",
        LagSource.Counters => "estimate",
        _ => "atLeast",
    };

    private static double? Round(double? seconds) => seconds is null ? null : Math.Round(seconds.Value, 3);
}
