namespace OrdersFunctions.RedisStreams.Publishing;

/// <summary>
/// Appends messages to a Redis stream (XADD) in the <see cref="StreamEnvelope"/> format. Implementations are
/// thread-safe and share one connection; they do not own it, so disposing the publisher leaves it open.
/// </summary>
public interface IStreamPublisher
{
    /// <summary>Appends <paramref name="message"/> to <paramref name="stream"/> and returns the new entry id.</summary>
    /// <exception cref="ArgumentException">The stream name or message type is empty.</exception>
    /// <exception cref="StackExchange.Redis.RedisConnectionException">Redis cannot be reached.</exception>
    Task<string> PublishAsync(string stream, OutgoingMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends <paramref name="message"/> together with <paramref name="transaction"/>'s condition and writes,
    /// atomically. Returns the new entry id, or null when the condition did not hold (then nothing was written).
    /// </summary>
    /// <exception cref="ArgumentException">As above, or a key of the transaction is not in the stream's hash
    /// slot.</exception>
    /// <exception cref="StackExchange.Redis.RedisConnectionException">Redis cannot be reached.</exception>
    Task<string?> PublishAsync(string stream, OutgoingMessage message, PublishTransaction transaction,
        CancellationToken cancellationToken = default);
}
