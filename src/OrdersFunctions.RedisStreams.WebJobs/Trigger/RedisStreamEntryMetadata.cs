using OrdersFunctions.RedisStreams.Consuming;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>What a batched function learns about each entry besides its payload: one element of the batch's
/// <c>Entries</c> binding data (the worker's <c>RedisStreamMessage[]</c> is rebuilt from these).</summary>
public sealed record RedisStreamEntryMetadata
{
    public required string EntryId { get; init; }

    public required string MessageId { get; init; }

    public required string MessageType { get; init; }

    public required int DeliveryCount { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>When it was published, or null when the entry does not say (ISO 8601 in the worker's JSON).</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    internal static RedisStreamEntryMetadata Of(StreamMessage message) => new()
    {
        EntryId = message.EntryId,
        MessageId = message.MessageId,
        MessageType = message.Type,
        DeliveryCount = message.DeliveryCount,
        Headers = message.Headers,
        PublishedAt = message.PublishedAt,
    };
}
