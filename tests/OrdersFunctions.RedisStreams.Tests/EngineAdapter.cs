using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing.Contract;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>
/// Runs contract consumers directly on the engine: one <see cref="StreamSubscriber"/> per consumer, each with its own
/// <see cref="RedisConnectionFactory"/> (as separate instances of an app would have), and a
/// <see cref="StreamPublisher"/> for publishing.
/// </summary>
public sealed class EngineAdapter : IConsumerGroupAdapter
{
    private readonly string _connectionString;
    private readonly RedisConnectionFactory _publisherConnections;
    private readonly StreamPublisher _publisher;

    public EngineAdapter(string connectionString)
    {
        _connectionString = connectionString;
        _publisherConnections = new RedisConnectionFactory(connectionString);
        _publisher = new StreamPublisher(_publisherConnections);
    }

    public async Task<IRunningConsumer> StartConsumerAsync(
        ConsumerSpec spec,
        Func<ReceivedMessage, CancellationToken, Task> handler,
        CancellationToken cancellationToken)
    {
        var consumer = new EngineConsumer(new RedisConnectionFactory(_connectionString), ToOptions(spec), handler);
        await consumer.StartAsync(cancellationToken);
        return consumer;
    }

    public Task<string> PublishAsync(string stream, ContractMessage message, CancellationToken cancellationToken) =>
        _publisher.PublishAsync(stream, ToOutgoing(message), cancellationToken);

    /// <summary>Publishes <paramref name="count"/> contract messages one after the other; returns their message
    /// ids.</summary>
    public async Task<List<string>> PublishManyAsync(string stream, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var message = ContractMessage.Create("T", i);
            await PublishAsync(stream, message, CancellationToken.None);
            ids.Add(message.MessageId);
        }
        return ids;
    }

    public ValueTask DisposeAsync() => _publisherConnections.DisposeAsync();

    /// <summary>The engine options a contract spec stands for.</summary>
    public static StreamSubscriberOptions ToOptions(ConsumerSpec spec) => new()
    {
        Stream = spec.Stream,
        Group = spec.Group,
        Consumer = spec.Consumer,
        MaxDeliveries = spec.MaxDeliveries,
        ClaimMinIdle = spec.ClaimMinIdle,
        ClaimInterval = spec.ClaimInterval,
        RetryBackoffInitial = spec.RetryBackoffInitial,
        RetryBackoffMax = spec.RetryBackoffMax,
        ShutdownTimeout = spec.ShutdownTimeout,
        MaxConcurrency = spec.MaxConcurrency,
        BatchSize = spec.BatchSize,
        BlockTimeout = spec.BlockTimeout,
        DeadLetterStream = spec.DeadLetterStream,
    };

    public static OutgoingMessage ToOutgoing(ContractMessage message) =>
        new(message.Type, message.Payload) { MessageId = message.MessageId, Headers = message.Headers };

    public static ReceivedMessage ToReceived(StreamMessage message) => new()
    {
        EntryId = message.EntryId,
        MessageId = message.MessageId,
        Type = message.Type,
        Payload = message.Payload,
        Headers = message.Headers,
        DeliveryCount = message.DeliveryCount,
        Consumer = message.Consumer,
    };
}
