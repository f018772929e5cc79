using System.Globalization;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// The binding data of a delivery: what <c>FunctionContext.BindingContext.BindingData</c> holds in the worker (as
/// strings; the headers dictionary as a JSON string) and what <c>{EntryId}</c>-style binding expressions can use.
/// <c>MessageType</c> rather than <c>Type</c>: the host also adds the payload's top-level JSON properties to the
/// binding data, and a payload property called <c>type</c> is common.
/// </summary>
public static class RedisStreamBindingData
{
    public const string EntryId = "EntryId";
    public const string MessageId = "MessageId";
    public const string MessageType = "MessageType";
    public const string Stream = "Stream";
    public const string Group = "Group";
    public const string Consumer = "Consumer";
    public const string DeliveryCount = "DeliveryCount";
    public const string Headers = "Headers";
    public const string PublishedAt = "PublishedAt";

    // A batch's binding data. Entries: one RedisStreamEntryMetadata per entry, in order, which the host sends the
    // worker as one JSON array (RedisStreamMessage[] is rebuilt from it). EntryIdArray and DeliveryCountArray are
    // conveniences for in-process functions, after the Event Hubs trigger's "...Array" convention; the worker does not
    // rely on them (the host's string-collection conversion drops empty strings, which would shift the indexes).
    public const string Entries = "Entries";
    public const string EntryIdArray = "EntryIdArray";
    public const string DeliveryCountArray = "DeliveryCountArray";

    /// <summary>Name → type of every binding data value.</summary>
    public static IReadOnlyDictionary<string, Type> Contract { get; } =
        new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
        {
            [EntryId] = typeof(string),
            [MessageId] = typeof(string),
            [MessageType] = typeof(string),
            [Stream] = typeof(string),
            [Group] = typeof(string),
            [Consumer] = typeof(string),
            [DeliveryCount] = typeof(int),
            [Headers] = typeof(IReadOnlyDictionary<string, string>),
            [PublishedAt] = typeof(string),
        };

    /// <summary>Name → type of every binding data value of a batch.</summary>
    public static IReadOnlyDictionary<string, Type> BatchContract { get; } =
        new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
        {
            [Entries] = typeof(RedisStreamEntryMetadata[]),
            [EntryIdArray] = typeof(string[]),
            [DeliveryCountArray] = typeof(int[]),
            [Stream] = typeof(string),
            [Group] = typeof(string),
            [Consumer] = typeof(string),
        };

    /// <summary>The binding data of a batch: per-entry values in entry order, and the stream, group and
    /// consumer.</summary>
    public static IReadOnlyDictionary<string, object?> CreateForBatch(
        IReadOnlyList<StreamMessage> messages, StreamSubscriberOptions options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(options);
        var count = messages.Count;
        var entries = new RedisStreamEntryMetadata[count];
        var entryIds = new string[count];
        var deliveries = new int[count];
        for (var i = 0; i < count; i++)
        {
            var message = messages[i];
            entries[i] = RedisStreamEntryMetadata.Of(message);
            entryIds[i] = message.EntryId;
            deliveries[i] = message.DeliveryCount;
        }
        return new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            [Entries] = entries,
            [EntryIdArray] = entryIds,
            [DeliveryCountArray] = deliveries,
            [Stream] = count > 0 ? messages[0].Stream : options.Stream,
            [Group] = count > 0 ? messages[0].Group : options.Group,
            [Consumer] = count > 0 ? messages[0].Consumer : "",
        };
    }

    /// <summary>The binding data of <paramref name="message"/>. Absent values are left out (the host skips nulls
    /// anyway).</summary>
    public static IReadOnlyDictionary<string, object?> Create(StreamMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        // Sized for every value up front: this runs once per invocation, and growing from the default capacity
        // rehashed the dictionary twice each time.
        var data = new Dictionary<string, object?>(Contract.Count, StringComparer.OrdinalIgnoreCase)
        {
            [EntryId] = message.EntryId,
            [MessageId] = message.MessageId,
            [MessageType] = message.Type,
            [Stream] = message.Stream,
            [Group] = message.Group,
            [Consumer] = message.Consumer,
            [DeliveryCount] = message.DeliveryCount,
            [Headers] = message.Headers,
        };
        if (message.PublishedAt is { } publishedAt)
            data[PublishedAt] = publishedAt.ToString("O", CultureInfo.InvariantCulture);
        return data;
    }

    /// <summary>A message for a payload typed in by hand (admin API): no entry id, first delivery, this function's
    /// stream and group.</summary>
    public static StreamMessage FromManualInput(string payload, StreamSubscriberOptions options)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(options);
        return new StreamMessage
        {
            EntryId = "",
            MessageId = "",
            Type = "",
            Payload = System.Text.Encoding.UTF8.GetBytes(payload),
            Headers = new Dictionary<string, string>(),
            DeliveryCount = 1,
            Stream = options.Stream,
            Group = options.Group,
            Consumer = "",
        };
    }
}
