using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrdersFunctions.RedisStreams.Telemetry;

/// <summary>
/// The names under which the engine reports: one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both
/// called <see cref="Name"/>. Subscribe to them with OpenTelemetry (<c>AddMeter</c>, <c>AddSource</c>) or a
/// <see cref="MeterListener"/>/<see cref="ActivityListener"/>. Every measurement is tagged <c>stream</c> and <c>group</c>.
/// </summary>
public static class StreamsTelemetry
{
    /// <summary>Name of the meter and of the activity source.</summary>
    public const string Name = "OrdersFunctions.RedisStreams";

    /// <summary>Counter: entries whose handler returned (and that were then acknowledged).</summary>
    public const string HandledCounter = "redis_streams.handled";

    /// <summary>Counter: handler failures (each failed delivery counts once).</summary>
    public const string FailedCounter = "redis_streams.failed";

    /// <summary>Counter: deliveries after a failure of this consumer (own retries).</summary>
    public const string RetriedCounter = "redis_streams.retried";

    /// <summary>Counter: entries written to the dead-letter stream.</summary>
    public const string DeadLetteredCounter = "redis_streams.dead_lettered";

    /// <summary>Counter: entries claimed from another (idle, presumably crashed) consumer.</summary>
    public const string ClaimedCounter = "redis_streams.claimed";

    /// <summary>Counter: replayed dead letters acknowledged unhandled because they were replayed for another group.</summary>
    public const string ReplaySkippedCounter = "redis_streams.replay_skipped";

    /// <summary>Histogram (ms): how long a handler ran, successful or not.</summary>
    public const string HandlerDurationHistogram = "redis_streams.handler.duration";

    /// <summary>Tag carrying the stream key.</summary>
    public const string StreamTag = "stream";

    /// <summary>Tag carrying the consumer group.</summary>
    public const string GroupTag = "group";

    internal static readonly ActivitySource ActivitySource = new(Name, "1.0.0");

    internal static readonly Meter Meter = new(Name, "1.0.0");

    internal static readonly Counter<long> Handled = Meter.CreateCounter<long>(HandledCounter, "{entry}", "Entries handled successfully and acknowledged.");
    internal static readonly Counter<long> Failed = Meter.CreateCounter<long>(FailedCounter, "{entry}", "Failed handler runs.");
    internal static readonly Counter<long> Retried = Meter.CreateCounter<long>(RetriedCounter, "{entry}", "Redeliveries of failed entries.");
    internal static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(DeadLetteredCounter, "{entry}", "Entries moved to the dead-letter stream.");
    internal static readonly Counter<long> Claimed = Meter.CreateCounter<long>(ClaimedCounter, "{entry}", "Entries claimed from idle consumers.");
    internal static readonly Counter<long> ReplaySkipped = Meter.CreateCounter<long>(ReplaySkippedCounter, "{entry}", "Replays for another group, acknowledged unhandled.");
    internal static readonly Histogram<double> HandlerDuration = Meter.CreateHistogram<double>(HandlerDurationHistogram, "ms", "Handler run time.");
}
