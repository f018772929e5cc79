using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrdersFunctions.RedisStreams.Telemetry;

/// <summary>
/// Everything the engine reports on, under one name: one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both
/// called <see cref="Name"/> (subscribe with OpenTelemetry's <c>AddMeter</c>/<c>AddSource</c>). Every measurement
/// carries the OpenTelemetry messaging tags: <c>messaging.system=redis</c>, <c>messaging.destination.name</c> (the
/// stream) and, per group, <c>messaging.consumer.group.name</c>.
/// </summary>
public static class StreamsTelemetry
{
    /// <summary>Name of the meter and of the activity source.</summary>
    public const string Name = "OrdersFunctions.RedisStreams";

    public const string SystemTag = "messaging.system";
    public const string DestinationTag = "messaging.destination.name";
    public const string ConsumerGroupTag = "messaging.consumer.group.name";
    public const string ErrorTypeTag = "error.type";
    public const string SystemName = "redis";

    /// <summary>Histogram (s), messaging semantic conventions: one handler run (a batch counts once), with
    /// <c>error.type</c> when it failed.</summary>
    public const string ProcessDurationHistogram = "messaging.process.duration";

    /// <summary>Counter, messaging semantic conventions: messages handed to a handler (a batch adds its
    /// size).</summary>
    public const string ConsumedMessagesCounter = "messaging.client.consumed.messages";

    /// <summary>Counter: entries whose handler returned and that were acknowledged.</summary>
    public const string HandledCounter = "redis_streams.handled";

    /// <summary>Counter: failed deliveries (each entry of a failed batch counts once).</summary>
    public const string FailedCounter = "redis_streams.failed";

    /// <summary>Counter: deliveries after a failure of this consumer (own retries).</summary>
    public const string RetriedCounter = "redis_streams.retried";

    /// <summary>Counter: entries written to the dead-letter stream.</summary>
    public const string DeadLetteredCounter = "redis_streams.dead_lettered";

    /// <summary>Counter: entries claimed from another (idle, presumably crashed) consumer.</summary>
    public const string ClaimedCounter = "redis_streams.claimed";

    /// <summary>Counter: replayed dead letters acknowledged unhandled because they were replayed for another
    /// group.</summary>
    public const string ReplaySkippedCounter = "redis_streams.replay_skipped";

    /// <summary>Counter: entries removed by retention.</summary>
    public const string TrimmedCounter = "redis_streams.retention.trimmed";

    /// <summary>Counter: entries a group had not acknowledged that a retention safety valve removed.</summary>
    public const string LostCounter = "redis_streams.retention.lost";

    /// <summary>Gauge: entries of the stream not yet delivered to the group (a bounded estimate when Redis cannot
    /// tell).</summary>
    public const string LagGauge = "redis_streams.group.lag";

    /// <summary>Gauge: entries delivered to the group and not yet acknowledged.</summary>
    public const string PendingGauge = "redis_streams.group.pending";

    /// <summary>Gauge (s): age of the group's oldest unacknowledged entry (0 when none).</summary>
    public const string OldestPendingAgeGauge = "redis_streams.group.oldest_pending_age";

    /// <summary>Gauge: dead letters the group wrote that are still in the dead-letter stream.</summary>
    public const string GroupDeadLettersGauge = "redis_streams.group.dead_letters";

    /// <summary>Gauge: entries in the stream (XLEN).</summary>
    public const string StreamLengthGauge = "redis_streams.stream.length";

    /// <summary>Gauge: entries in the stream's dead-letter stream.</summary>
    public const string DeadLetterLengthGauge = "redis_streams.stream.dead_letter_length";

    internal static readonly ActivitySource ActivitySource = new(Name, "1.0.0");

    internal static readonly Meter Meter = new(Name, "1.0.0");

    internal static readonly Histogram<double> ProcessDuration =
        Meter.CreateHistogram<double>(ProcessDurationHistogram, "s", "Duration of processing operation.");
    internal static readonly Counter<long> ConsumedMessages = Meter.CreateCounter<long>(ConsumedMessagesCounter,
        "{message}", "Number of messages that were delivered to the application.");
    internal static readonly Counter<long> Handled =
        Meter.CreateCounter<long>(HandledCounter, "{entry}", "Entries handled successfully and acknowledged.");
    internal static readonly Counter<long> Failed =
        Meter.CreateCounter<long>(FailedCounter, "{entry}", "Failed deliveries.");
    internal static readonly Counter<long> Retried =
        Meter.CreateCounter<long>(RetriedCounter, "{entry}", "Redeliveries of failed entries.");
    internal static readonly Counter<long> DeadLettered =
        Meter.CreateCounter<long>(DeadLetteredCounter, "{entry}", "Entries moved to the dead-letter stream.");
    internal static readonly Counter<long> Claimed =
        Meter.CreateCounter<long>(ClaimedCounter, "{entry}", "Entries claimed from idle consumers.");
    internal static readonly Counter<long> ReplaySkipped = Meter.CreateCounter<long>(ReplaySkippedCounter, "{entry}",
        "Replays for another group, acknowledged unhandled.");
    internal static readonly Counter<long> Trimmed =
        Meter.CreateCounter<long>(TrimmedCounter, "{entry}", "Entries removed by retention.");
    internal static readonly Counter<long> Lost = Meter.CreateCounter<long>(LostCounter, "{entry}",
        "Unacknowledged entries removed by a retention safety valve.");

    /// <summary>Records one handler run that carried <paramref name="messages"/> messages: the semantic-convention
    /// duration and consumed count, and the engine's handled or failed count.</summary>
    internal static void RecordProcessed(in TagList groupTags, int messages, TimeSpan elapsed, Exception? error)
    {
        var tags = groupTags;
        tags.Add("messaging.operation.name", "process");
        ConsumedMessages.Add(messages, tags);
        if (error is null)
        {
            Handled.Add(messages, groupTags);
        }
        else
        {
            Failed.Add(messages, groupTags);
            tags.Add(ErrorTypeTag, error.GetType().FullName);
        }
        ProcessDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>The tags of a stream-wide measurement.</summary>
    public static TagList StreamTags(string stream) => new() { { SystemTag, SystemName }, { DestinationTag, stream } };

    /// <summary>The tags of a per-group measurement.</summary>
    public static TagList GroupTags(string stream, string group) =>
        new() { { SystemTag, SystemName }, { DestinationTag, stream }, { ConsumerGroupTag, group } };
}
