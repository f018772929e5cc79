namespace OrdersFunctions.RedisStreams.Testing.Contract;

/// <summary>
/// The one thing <see cref="ConsumerGroupContractTests"/> needs from a way of running consumers (the engine directly,
/// the Functions trigger inside a WebJobs JobHost, the local host): start a consumer that calls a handler, and publish.
/// An adapter is created per test and disposed after it; it must not share state between tests.
/// </summary>
public interface IConsumerGroupAdapter : IAsyncDisposable
{
    /// <summary>
    /// Starts one consumer as <paramref name="spec"/> says and returns once it is reading (entries published after
    /// this returns reach it). The adapter calls <paramref name="handler"/> for every delivery: returning means
    /// success (the entry must be acknowledged), throwing means failure (retry, then dead-letter). The handler's token
    /// is cancelled when the consumer's shutdown timeout runs out.
    /// </summary>
    Task<IRunningConsumer> StartConsumerAsync(
        ConsumerSpec spec,
        Func<ReceivedMessage, CancellationToken, Task> handler,
        CancellationToken cancellationToken);

    /// <summary>Publishes <paramref name="message"/> to <paramref name="stream"/> the way the product publishes
    /// (the engine's envelope) and returns the entry id.</summary>
    Task<string> PublishAsync(string stream, ContractMessage message, CancellationToken cancellationToken);
}

/// <summary>A consumer an adapter started. Disposing stops it gracefully if neither stop nor kill ran yet.</summary>
public interface IRunningConsumer : IAsyncDisposable
{
    /// <summary>The consumer's name.</summary>
    string Name { get; }

    /// <summary>Graceful shutdown: stop reading, let in-flight handlers finish up to the shutdown timeout,
    /// acknowledge what finished, leave the rest pending; never delete the consumer while it has pending
    /// entries.</summary>
    Task StopAsync();

    /// <summary>
    /// A crash: stop at once without draining and without acknowledging anything still in flight, so its pending
    /// entries stay pending on this consumer (for another consumer to claim). In-flight handlers must not be able to
    /// get their entries acknowledged after this returns.
    /// </summary>
    Task KillAsync();
}
