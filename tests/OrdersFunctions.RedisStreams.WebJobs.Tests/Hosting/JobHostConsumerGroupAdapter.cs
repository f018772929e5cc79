using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing.Contract;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests.Hosting;

/// <summary>
/// Runs each contract consumer as its own WebJobs JobHost with one function on the host-side trigger, configured only
/// through app settings, as the Functions host would run it. Publishes with the engine's publisher.
/// </summary>
public sealed class JobHostConsumerGroupAdapter(string connectionString) : IConsumerGroupAdapter
{
    private readonly RedisConnectionFactory _connections = new(connectionString);
    private readonly List<RunningHost> _hosts = [];

    public async Task<IRunningConsumer> StartConsumerAsync(
        ConsumerSpec spec, Func<ReceivedMessage, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        var host = await TriggerHost.StartAsync(
            HostSettings.For(connectionString, spec),
            new ConsumeFunction((message, ct) => handler(message, ct)));
        var running = new RunningHost(spec.Consumer, host);
        _hosts.Add(running);
        return running;
    }

    public Task<string> PublishAsync(string stream, ContractMessage message, CancellationToken cancellationToken) =>
        new StreamPublisher(_connections).PublishAsync(
            stream,
            new OutgoingMessage(message.Type, message.Payload)
            {
                MessageId = message.MessageId,
                Headers = message.Headers,
            },
            cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
            await host.DisposeAsync();
        await _connections.DisposeAsync();
    }

    private sealed class RunningHost(string name, TriggerHost host) : IRunningConsumer
    {
        public string Name => name;

        public Task StopAsync() => host.StopAsync();

        /// <summary>A JobHost cannot be killed without its listeners stopping; stopping it cancels the functions'
        /// tokens, so handlers that wait on them fail and their entries stay pending on this consumer, unacknowledged,
        /// which is what a crash leaves behind.</summary>
        public Task KillAsync() => host.StopAsync();

        public ValueTask DisposeAsync() => host.DisposeAsync();
    }
}
