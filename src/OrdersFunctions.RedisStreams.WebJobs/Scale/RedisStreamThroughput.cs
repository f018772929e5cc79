namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// What one instance drains and how fast entries arrive, measured from the group's counters. Throughput: entries
/// settled per instance-second over the consecutive sample pairs that end within the window (the latest pair always
/// counts): <c>Σ Δ(entries-read − pending) / Σ (Δt × mean working consumers)</c>. Only pairs in which the group
/// had undelivered entries at both ends count: then every instance was busy, so the rate is what the instances can do
/// rather than how fast orders arrived. Null when no pair qualifies (no counter, no working consumer, nothing
/// waiting).
/// </summary>
public static class RedisStreamThroughput
{
    /// <summary>Entries per instance-second, or null when the samples cannot tell.</summary>
    /// <param name="samples">Samples of one group, in any order.</param>
    /// <param name="window">How far back from the latest sample pairs count.</param>
    public static double? PerInstanceSecond(IEnumerable<RedisStreamGroupMetrics> samples, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var ordered = samples.OrderBy(s => s.Timestamp).ToArray();
        if (ordered.Length < 2)
            return null;
        var since = ordered[^1].Timestamp - window;
        double settled = 0, instanceSeconds = 0;
        for (var i = 1; i < ordered.Length; i++)
        {
            var (earlier, later) = (ordered[i - 1], ordered[i]);
            if (later.Timestamp < since && i != ordered.Length - 1)
                continue;
            if (Contribution(earlier, later) is not { } pair)
                continue;
            settled += pair.Entries;
            instanceSeconds += pair.InstanceSeconds;
        }
        return instanceSeconds > 0 && settled > 0 ? settled / instanceSeconds : null;
    }

    /// <summary>
    /// Entries arriving per second, over the same sample pairs as <see cref="PerInstanceSecond"/> but whether or
    /// not anything waited: <c>Σ Δ(entries-read + lag) / Σ Δt</c>. Pairs with a lag that is only a lower bound, or
    /// without a read counter, are left out; null when none is left.
    /// </summary>
    public static double? ArrivalsPerSecond(IEnumerable<RedisStreamGroupMetrics> samples, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var ordered = samples.OrderBy(s => s.Timestamp).ToArray();
        if (ordered.Length < 2)
            return null;
        var since = ordered[^1].Timestamp - window;
        double arrived = 0, seconds = 0;
        for (var i = 1; i < ordered.Length; i++)
        {
            var (earlier, later) = (ordered[i - 1], ordered[i]);
            if (later.Timestamp < since && i != ordered.Length - 1)
                continue;
            var span = (later.Timestamp - earlier.Timestamp).TotalSeconds;
            if (span <= 0 || IsLowerBound(earlier) || IsLowerBound(later)
                || earlier.Arrived is not { } before || later.Arrived is not { } after || after < before)
                continue;
            arrived += after - before;
            seconds += span;
        }
        return seconds > 0 ? arrived / seconds : null;
    }

    private static bool IsLowerBound(RedisStreamGroupMetrics sample) =>
        sample.LagSource == nameof(Overview.LagSource.AtLeast);

    private static (double Entries, double InstanceSeconds)? Contribution(RedisStreamGroupMetrics earlier,
        RedisStreamGroupMetrics later)
    {
        var seconds = (later.Timestamp - earlier.Timestamp).TotalSeconds;
        var workers = (earlier.ActiveConsumers + later.ActiveConsumers) / 2.0;
        if (seconds <= 0 || workers <= 0 || earlier.Lag <= 0 || later.Lag <= 0)
            return null;
        if (earlier.Settled is not { } before || later.Settled is not { } after || after < before)
            return null; // no counter, or it went back (the group was recreated or set to another id)
        return (after - before, seconds * workers);
    }
}
