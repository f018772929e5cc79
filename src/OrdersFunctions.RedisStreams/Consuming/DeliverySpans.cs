using System.Diagnostics;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Telemetry;

namespace OrdersFunctions.RedisStreams.Consuming;

/// <summary>
/// The consumer spans of one subscriber, after the OpenTelemetry messaging conventions: one "{stream} process" span per
/// handler run, the child of the producer's span for a single message and linked to each producer span for a batch (a
/// batch has many parents, so they are links). Nothing is allocated when no one listens.
/// </summary>
internal sealed class DeliverySpans(string stream, string group)
{
    // A batch span links to the producer span of each message it carries; past this many it links only the first ones.
    private const int MaxBatchLinks = 128;

    private readonly string _name = stream + " process";

    public Activity? StartSingle(StreamMessage message)
    {
        if (!StreamsTelemetry.ActivitySource.HasListeners())
            return null;
        TryGetProducerContext(message, out var parent);
        var activity = StreamsTelemetry.ActivitySource.StartActivity(_name, ActivityKind.Consumer, parent);
        if (activity is not null)
        {
            Tag(activity);
            activity.SetTag("messaging.message.id", message.MessageId);
            activity.SetTag("messaging.redis.entry_id", message.EntryId);
            activity.SetTag("messaging.redis.delivery_count", message.DeliveryCount);
        }
        return activity;
    }

    public Activity? StartBatch(IReadOnlyList<StreamMessage> messages)
    {
        if (!StreamsTelemetry.ActivitySource.HasListeners())
            return null;
        var links = new List<ActivityLink>(Math.Min(messages.Count, MaxBatchLinks));
        foreach (var message in messages)
        {
            if (links.Count == MaxBatchLinks)
                break;
            if (TryGetProducerContext(message, out var context))
                links.Add(new ActivityLink(context));
        }
        var activity = StreamsTelemetry.ActivitySource.StartActivity(_name, ActivityKind.Consumer,
            default(ActivityContext), links: links);
        if (activity is not null)
        {
            Tag(activity);
            activity.SetTag("messaging.batch.message_count", messages.Count);
        }
        return activity;
    }

    /// <summary>
    /// The producer's span context, from the message's <c>traceparent</c> / <c>tracestate</c> headers.
    /// </summary>
    private static bool TryGetProducerContext(StreamMessage message, out ActivityContext context)
    {
        message.Headers.TryGetValue(StreamEnvelope.TraceParentHeader, out var traceParent);
        message.Headers.TryGetValue(StreamEnvelope.TraceStateHeader, out var traceState);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out context);
    }

    private void Tag(Activity activity)
    {
        activity.SetTag(StreamsTelemetry.SystemTag, StreamsTelemetry.SystemName);
        activity.SetTag("messaging.operation.type", "process");
        activity.SetTag(StreamsTelemetry.DestinationTag, stream);
        activity.SetTag(StreamsTelemetry.ConsumerGroupTag, group);
    }
}
