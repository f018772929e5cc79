namespace OrdersFunctions.RedisStreams.Testing.Contract;

/// <summary>One delivery as a contract scenario's handler sees it, whatever the adapter (engine message, Functions
/// binding data, local-host invocation).</summary>
public sealed record ReceivedMessage
{
    /// <summary>The Redis entry id.</summary>
    public required string EntryId { get; init; }

    /// <summary>The publisher's message id (the same on every delivery).</summary>
    public required string MessageId { get; init; }

    /// <summary>The message type.</summary>
    public required string Type { get; init; }

    /// <summary>The payload bytes.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The headers (empty when none).</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>1 on the first delivery in this group, then 2, 3, …</summary>
    public required int DeliveryCount { get; init; }

    /// <summary>The consumer that got this delivery.</summary>
    public required string Consumer { get; init; }
}
