namespace OrdersFunctions.RedisStreams.Publishing;

/// <summary>A message to publish: a type, a payload and optional headers.</summary>
/// <param name="Type">The message type, e.g. <c>OrderPlaced</c>. Must not be empty.</param>
/// <param name="Payload">The payload bytes.</param>
public sealed record OutgoingMessage(string Type, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The message id; a new GUID (format "N") unless set. Consumers deduplicate by it.</summary>
    public string MessageId { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>Headers to carry with the message. The publisher adds <c>traceparent</c> from the current
    /// <see cref="System.Diagnostics.Activity"/> when it is not set here.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
