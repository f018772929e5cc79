namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// How the trigger's scale monitor and target scaler size the app, from host.json <c>extensions.redisStreams</c>
/// (then app settings <c>RedisStreams__{Option}</c>, then per function
/// <c>RedisStreams__Functions__{Name}__{Option}</c>).
/// Only the scalers read these; the subscriber ignores them.
/// </summary>
public sealed class RedisStreamScaleOptions
{
    /// <summary>The default of <see cref="TargetDrainTime"/>.</summary>
    public static readonly TimeSpan DefaultTargetDrainTime = TimeSpan.FromSeconds(30);

    /// <summary>The default of <see cref="ThroughputWindow"/>.</summary>
    public static readonly TimeSpan DefaultThroughputWindow = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Waiting entries (lag + pending) one instance is expected to absorb: when set, the target is
    /// <c>ceil(backlog / threshold)</c>, as Event Hubs' <c>targetUnprocessedEventThreshold</c> does, and the measured
    /// drain rate is not used. Unset (the default): the drain-rate rule.
    /// </summary>
    public int? TargetUnprocessedEntryThreshold { get; set; }

    /// <summary>The drain-rate rule asks for as many instances as it takes to drain the backlog within this time, at
    /// the throughput each instance was measured to reach. Default 30 s.</summary>
    public TimeSpan TargetDrainTime { get; set; } = DefaultTargetDrainTime;

    /// <summary>How far back throughput is measured; also how recently a consumer must have received entries to count
    /// as a working instance. Default 30 s.</summary>
    public TimeSpan ThroughputWindow { get; set; } = DefaultThroughputWindow;

    /// <summary>The most instances a target asks for: set it to the plan's maximum instance count. Unset: no cap
    /// (the platform still applies its own).</summary>
    public int? MaxTargetWorkerCount { get; set; }
}
