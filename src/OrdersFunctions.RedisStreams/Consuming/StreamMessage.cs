using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.RedisStreams.Consuming;

/// <summary>A stream entry delivered to a handler of a consumer group.</summary>
public sealed record StreamMessage
{
    /// <summary>The Redis entry id, e.g. <c>1700000000000-0</c>.</summary>
    public required string EntryId { get; init; }

    /// <summary>The publisher's message id; the same on every delivery of this entry.</summary>
    public required string MessageId { get; init; }

    /// <summary>The message type.</summary>
    public required string Type { get; init; }

    /// <summary>The payload bytes.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The headers the publisher wrote (empty when none).</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>When the message was published, if the entry says so.</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>
    /// How many times this entry has been delivered in this group, this delivery included (1 on the first).
    /// </summary>
    public required int DeliveryCount { get; init; }

    /// <summary>The stream key.</summary>
    public required string Stream { get; init; }

    /// <summary>The consumer group.</summary>
    public required string Group { get; init; }

    /// <summary>The consumer (instance) handling this delivery.</summary>
    public required string Consumer { get; init; }
}

/// <summary>
/// Handles one message. Returning normally means success: the entry is acknowledged. Throwing means failure: the entry
/// stays pending and is delivered again after a backoff, up to <see cref="StreamSubscriberOptions.MaxDeliveries"/>
/// deliveries, then dead-lettered. The token is cancelled when the subscriber's shutdown timeout runs out.
/// </summary>
public delegate Task StreamMessageHandler(StreamMessage message, CancellationToken cancellationToken);

/// <summary>
/// Handles a batch of messages (at most <see cref="StreamSubscriberOptions.MaxBatchSize"/>, in stream order). Returning
/// normally means every message succeeded: all are acknowledged. Throwing means the batch failed: no message of it is
/// acknowledged; each counts one failed delivery and is retried <b>on its own</b> (a batch of one) after its backoff,
/// so one poison message fails alone and is dead-lettered alone, while the rest of its batch succeed on their retry.
/// </summary>
public delegate Task StreamBatchHandler(IReadOnlyList<StreamMessage> messages, CancellationToken cancellationToken);
