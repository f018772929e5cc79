using System.Globalization;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// The binding data of a delivery: what <c>FunctionContext.BindingContext.BindingData</c> holds in the worker (as
/// strings; the headers dictionary as a JSON string) and what <c>{EntryId}</c>-style binding expressions can use.
/// <c>MessageType</c> rather than <c>Type</c>: the host also adds the payload's top-level JSON properties to the binding
/// data, and a payload property called <c>type</c> is common.
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

    // A batch's binding data: one array per per-entry value, in the order of the entries (the Event Hubs trigger's
    // "...Array" convention); Stream, Group and Consumer are the same for every entry of a batch.
    public const string EntryIdArray = "EntryIdArray";
    public const string MessageIdArray = "MessageIdArray";
    public const string MessageTypeArray = "MessageTypeArray";
    public const string DeliveryCountArray = "DeliveryCountArray";
    public const string HeadersArray = "HeadersArray";
    public const string PublishedAtArray = "PublishedAtArray";

    /// <summary>Name → type of every binding data value.</summary>
    public static IReadOnlyDictionary<string, Type> Contract { get; } = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
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
    public static IReadOnlyDictionary<string, Type> BatchContract { get; } = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        [EntryIdArray] = typeof(string[]),
        [MessageIdArray] = typeof(string[]),
        [MessageTypeArray] = typeof(string[]),
        [DeliveryCountArray] = typeof(int[]),
        [HeadersArray] = typeof(IReadOnlyDictionary<string, string>[]),
        [PublishedAtArray] = typeof(string?[]),
        [Stream] = typeof(string),
        [Group] = typeof(string),
        [Consumer] = typeof(string),
    };

    /// <summary>The binding data of a batch: per-entry arrays in entry order, and the stream, group and consumer.</summary>
    public static IReadOnlyDictionary<string, object?> CreateForBatch(IReadOnlyList<StreamMessage> messages, StreamSubscriberOptions options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(options);
        var count = messages.Count;
        var entryIds = new string[count];
        var messageIds = new string[count];
        var types = new string[count];
        var deliveries = new int[count];
        var headers = new IReadOnlyDictionary<string, string>[count];
        var publishedAt = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var message = messages[i];
            entryIds[i] = message.EntryId;
            messageIds[i] = message.MessageId;
            types[i] = message.Type;
            deliveries[i] = message.DeliveryCount;
            headers[i] = message.Headers;
            publishedAt[i] = message.PublishedAt?.ToString("O", CultureInfo.InvariantCulture);
        }
        return new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            [EntryIdArray] = entryIds,
            [MessageIdArray] = messageIds,
            [MessageTypeArray] = types,
            [DeliveryCountArray] = deliveries,
            [HeadersArray] = headers,
            [PublishedAtArray] = publishedAt,
            [Stream] = count > 0 ? messages[0].Stream : options.Stream,
            [Group] = count > 0 ? messages[0].Group : options.Group,
            [Consumer] = count > 0 ? messages[0].Consumer : "",
        };
    }

    /// <summary>The binding data of <paramref name="message"/>. Absent values are left out (the host skips nulls anyway).</summary>
    public static IReadOnlyDictionary<string, object?> Create(StreamMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var data = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
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
