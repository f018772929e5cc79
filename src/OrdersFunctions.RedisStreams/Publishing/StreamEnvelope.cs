namespace OrdersFunctions.RedisStreams.Publishing;

/// <summary>
/// The field names of a stream entry written by <see cref="IStreamPublisher"/>. Every entry carries all of them;
/// an entry that lacks <see cref="MessageId"/>, <see cref="Type"/> or <see cref="Payload"/> cannot be read and is
/// dead-lettered with the reason.
/// </summary>
public static class StreamEnvelope
{
    /// <summary>The publisher's message id (a GUID unless the publisher chose one); stable across redeliveries,
    /// so handlers deduplicate by it.</summary>
    public const string MessageId = "message_id";

    /// <summary>The message type, e.g. <c>OrderPlaced</c>.</summary>
    public const string Type = "type";

    /// <summary>The payload bytes (UTF-8 JSON for the orders app, but the engine does not care).</summary>
    public const string Payload = "payload";

    /// <summary>A JSON object of string headers, e.g. <c>{"traceparent":"00-…"}</c>. Optional.</summary>
    public const string Headers = "headers";

    /// <summary>When the message was published, ISO 8601 UTC (round-trip format).</summary>
    public const string PublishedAt = "published_at";

    /// <summary>The W3C trace-context header the publisher writes and the consumer's span continues.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>The optional W3C trace-state header.</summary>
    public const string TraceStateHeader = "tracestate";
}
