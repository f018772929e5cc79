namespace OrdersFunctions.RedisStreams.Worker;

/// <summary>
/// One stream entry as a function parameter, when the function wants the envelope as well as the payload.
/// The host sends it as JSON; the worker deserialises it into this type.
/// </summary>
public sealed class RedisStreamMessage
{
    /// <summary>The Redis entry id, e.g. <c>1700000000000-0</c>.</summary>
    public string EntryId { get; set; } = "";

    /// <summary>The publisher's message id; the same on every delivery, so deduplicate by it.</summary>
    public string MessageId { get; set; } = "";

    /// <summary>The message type, e.g. <c>OrderPlaced</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>The payload as UTF-8 text (JSON for the orders app).</summary>
    public string Payload { get; set; } = "";

    /// <summary>The publisher's headers, e.g. <c>traceparent</c>.</summary>
    public Dictionary<string, string> Headers { get; set; } = new();

    /// <summary>Deliveries so far in this group, this one included (1 on the first).</summary>
    public int DeliveryCount { get; set; }

    /// <summary>The stream key.</summary>
    public string Stream { get; set; } = "";

    /// <summary>The consumer group.</summary>
    public string Group { get; set; } = "";

    /// <summary>The consumer (instance) handling this delivery.</summary>
    public string Consumer { get; set; } = "";

    /// <summary>When the message was published.</summary>
    public DateTimeOffset? PublishedAt { get; set; }
}
