using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing.Contract;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>
/// One engine subscriber as a contract consumer. A kill is simulated without touching the engine's internals: from the
/// moment of the kill every delivery, in flight or new, fails at once (so nothing more is acknowledged), then the
/// subscriber is stopped; the entries it held stay pending on it, as after a crash.
/// </summary>
internal sealed class EngineConsumer : IRunningConsumer
{
    private readonly RedisConnectionFactory _connections;
    private readonly Func<ReceivedMessage, CancellationToken, Task> _handler;
    private readonly StreamSubscriber _subscriber;
    private readonly TaskCompletionSource _killed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopped;

    public EngineConsumer(
        RedisConnectionFactory connections,
        StreamSubscriberOptions options,
        Func<ReceivedMessage, CancellationToken, Task> handler)
    {
        _connections = connections;
        _handler = handler;
        Name = options.Consumer;
        _subscriber = new StreamSubscriber(connections, options, HandleAsync);
    }

    public string Name { get; }

    public Task StartAsync(CancellationToken cancellationToken) => _subscriber.StartAsync(cancellationToken);

    public Task StopAsync() => ShutDownAsync();

    public Task KillAsync()
    {
        _killed.TrySetResult();
        return ShutDownAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _killed.TrySetResult(); // a handler still blocked at the end of a test must not hold up disposal
        await ShutDownAsync();
    }

    private async Task ShutDownAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        try
        {
            await _subscriber.StopAsync();
            await _subscriber.DisposeAsync();
        }
        finally
        {
            await _connections.DisposeAsync();
        }
    }

    private async Task HandleAsync(StreamMessage message, CancellationToken cancellationToken)
    {
        if (_killed.Task.IsCompleted)
            throw new ConsumerKilledException();
        var work = _handler(EngineAdapter.ToReceived(message), cancellationToken);
        if (await Task.WhenAny(work, _killed.Task) != work)
            throw new ConsumerKilledException();
        await work;
    }

    private sealed class ConsumerKilledException() : Exception("The consumer was killed (simulated crash).");
}
