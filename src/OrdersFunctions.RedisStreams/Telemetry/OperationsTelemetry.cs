using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrdersFunctions.RedisStreams.Telemetry;

/// <summary>
/// The operations layer's instruments, on the engine's meter (<see cref="StreamsTelemetry.Name"/>). They carry the
/// OpenTelemetry messaging tags <c>messaging.system=redis</c>, <c>messaging.destination.name</c> (the stream) and, per
/// group, <c>messaging.consumer.group.name</c>. The gauges read the latest overview snapshot.
/// </summary>
public static class OperationsTelemetry
{
    public const string SystemTag = "messaging.system";
    public const string DestinationTag = "messaging.destination.name";
    public const string ConsumerGroupTag = "messaging.consumer.group.name";
    public const string SystemName = "redis";

    /// <summary>Gauge: entries of the stream not yet delivered to the group.</summary>
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

    /// <summary>Counter: entries removed by retention.</summary>
    public const string TrimmedCounter = "redis_streams.retention.trimmed";

    /// <summary>Counter: entries a group had not acknowledged that a retention safety valve removed.</summary>
    public const string LostCounter = "redis_streams.retention.lost";

    /// <summary>Histogram (s), OpenTelemetry messaging semantic conventions: how long processing one delivery took,
    /// tagged <c>error.type</c> when the handler failed.</summary>
    public const string ProcessDurationHistogram = "messaging.process.duration";

    /// <summary>Counter, OpenTelemetry messaging semantic conventions: deliveries handed to a handler.</summary>
    public const string ConsumedMessagesCounter = "messaging.client.consumed.messages";

    internal static readonly Histogram<double> ProcessDuration = StreamsTelemetry.Meter.CreateHistogram<double>(ProcessDurationHistogram, "s", "Duration of processing operation.");
    internal static readonly Counter<long> ConsumedMessages = StreamsTelemetry.Meter.CreateCounter<long>(ConsumedMessagesCounter, "{message}", "Number of messages that were delivered to the application.");

    /// <summary>Records one handler run under the semantic-convention names, beside the engine's own instruments.</summary>
    internal static void RecordProcessed(string stream, string group, TimeSpan elapsed, Exception? error)
    {
        var tags = GroupTags(stream, group);
        tags.Add("messaging.operation.name", "process");
        ConsumedMessages.Add(1, tags);
        if (error is not null)
            tags.Add("error.type", error.GetType().FullName);
        ProcessDuration.Record(elapsed.TotalSeconds, tags);
    }

    internal static readonly Counter<long> Trimmed = StreamsTelemetry.Meter.CreateCounter<long>(TrimmedCounter, "{entry}", "Entries removed by retention.");
    internal static readonly Counter<long> Lost = StreamsTelemetry.Meter.CreateCounter<long>(LostCounter, "{entry}", "Unacknowledged entries removed by a retention safety valve.");

    internal static TagList StreamTags(string stream) => new() { { SystemTag, SystemName }, { DestinationTag, stream } };

    internal static TagList GroupTags(string stream, string group) =>
        new() { { SystemTag, SystemName }, { DestinationTag, stream }, { ConsumerGroupTag, group } };
}
