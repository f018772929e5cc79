namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>Which rule set a target.</summary>
public enum RedisStreamScaleRuleKind
{
    /// <summary>Nothing waits and nothing arrives: 0 instances.</summary>
    Idle,

    /// <summary><c>ceil((backlog / TargetDrainTime + arrivals per second) / entries per instance-second)</c>.</summary>
    DrainRate,

    /// <summary><c>ceil(backlog / TargetUnprocessedEntryThreshold)</c>, set in host.json.</summary>
    Threshold,

    /// <summary>No throughput known yet: <c>ceil(backlog / (MaxConcurrency × 8))</c>.</summary>
    BacklogFallback,
}

/// <summary>A target and how it was reached (for logs and the scale simulator).</summary>
/// <param name="TargetWorkerCount">The instances asked for.</param>
/// <param name="Rule">The rule that set it.</param>
/// <param name="Backlog">Lag + pending it was computed from.</param>
/// <param name="EntriesPerInstanceSecond">The measured throughput, when known.</param>
/// <param name="ArrivalsPerSecond">The measured arrival rate, when known.</param>
public sealed record RedisStreamScaleDecision(
    int TargetWorkerCount,
    RedisStreamScaleRuleKind Rule,
    long Backlog,
    double? EntriesPerInstanceSecond,
    double? ArrivalsPerSecond = null);

/// <summary>
/// The target instance count of one stream-triggered function:
/// <list type="bullet">
/// <item>0 when nothing waits and nothing arrives;</item>
/// <item><see cref="RedisStreamScaleOptions.TargetUnprocessedEntryThreshold"/> set:
/// <c>ceil(backlog / threshold)</c>;</item>
/// <item>else, with a measured throughput: <c>ceil((backlog / TargetDrainTime + arrivals) / throughput per
/// instance)</c>, enough instances to drain what waits within the drain time while entries keep arriving at the
/// measured rate (0 when unknown);</item>
/// <item>else (no rate known yet): <c>ceil(backlog / (MaxConcurrency × 8))</c>
/// (<see cref="RedisStreamScaling"/>);</item>
/// </list>
/// at least 1 while anything waits, at most <see cref="RedisStreamScaleOptions.MaxTargetWorkerCount"/>.
/// </summary>
public static class RedisStreamScaleRule
{
    public static RedisStreamScaleDecision Decide(long backlog, double? entriesPerInstanceSecond,
        double? arrivalsPerSecond, RedisStreamScaleOptions options, int concurrency)
    {
        ArgumentNullException.ThrowIfNull(options);
        backlog = Math.Max(0, backlog);
        var arrivals = Math.Max(0, arrivalsPerSecond ?? 0);
        var rateKnown = entriesPerInstanceSecond is > 0;
        // Orders flowing through as fast as they come still need instances, as many as keep up with them.
        if (backlog == 0 && (arrivals == 0 || !rateKnown || options.TargetUnprocessedEntryThreshold is not null))
            return new RedisStreamScaleDecision(0, RedisStreamScaleRuleKind.Idle, 0, entriesPerInstanceSecond,
                arrivalsPerSecond);

        long target;
        RedisStreamScaleRuleKind rule;
        if (options.TargetUnprocessedEntryThreshold is { } threshold)
        {
            target = RedisStreamScaling.TargetWorkerCountForThreshold(backlog, threshold);
            rule = RedisStreamScaleRuleKind.Threshold;
        }
        else if (entriesPerInstanceSecond is > 0 and var rate)
        {
            target = (long)Math.Ceiling((backlog / options.TargetDrainTime.TotalSeconds + arrivals) / rate);
            rule = RedisStreamScaleRuleKind.DrainRate;
        }
        else
        {
            target = RedisStreamScaling.TargetWorkerCount(backlog, concurrency);
            rule = RedisStreamScaleRuleKind.BacklogFallback;
        }

        target = Math.Clamp(target, 1, options.MaxTargetWorkerCount ?? int.MaxValue);
        return new RedisStreamScaleDecision((int)target, rule, backlog, entriesPerInstanceSecond, arrivalsPerSecond);
    }
}
