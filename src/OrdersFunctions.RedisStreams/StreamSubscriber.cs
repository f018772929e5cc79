using Microsoft.Extensions.Logging;

namespace OrdersFunctions.RedisStreams;

/// <summary>
/// Consumes one stream as one consumer of one consumer group and runs a handler for every entry, at least once.
/// <list type="bullet">
/// <item>Creates the group when missing (MKSTREAM, at <see cref="StreamSubscriberOptions.StartPosition"/>), and again
/// after NOGROUP.</item>
/// <item>Reads new entries with a blocking XREADGROUP over a dedicated connection; runs up to
/// <see cref="StreamSubscriberOptions.MaxConcurrency"/> handlers; acknowledges an entry only after its handler
/// returned.</item>
/// <item>A failed entry stays pending and is delivered again after a doubling backoff; after
/// <see cref="StreamSubscriberOptions.MaxDeliveries"/> deliveries it is written to the dead-letter stream and
/// acknowledged. An entry that is not a valid envelope is dead-lettered at once.</item>
/// <item>Entries idle longer than <see cref="StreamSubscriberOptions.ClaimMinIdle"/> on any consumer of the group are
/// claimed and handled here.</item>
/// <item><see cref="StopAsync"/> stops reading, waits for in-flight handlers up to
/// <see cref="StreamSubscriberOptions.ShutdownTimeout"/>, acknowledges what finished and leaves the rest pending.</item>
/// </list>
/// Start and stop once each; not reusable after stop. Thread-safe.
/// </summary>
public sealed partial class StreamSubscriber : IAsyncDisposable
{
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid (all are listed).</exception>
    public StreamSubscriber(
        IRedisConnectionFactory connections,
        StreamSubscriberOptions options,
        StreamMessageHandler handler,
        ILogger<StreamSubscriber>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        StreamSubscriberOptionsValidator.ThrowIfInvalid(options);
        throw new NotImplementedException("engine: to be written");
    }

    /// <summary>Ensures the group exists and starts the read and claim loops; returns once reading has begun.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Stops reading and drains in-flight handlers (see the class remarks).</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
