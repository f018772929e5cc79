using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.UnitTests;

/// <summary>Stopping a <see cref="StreamOverviewMonitor"/> whose refresh fails while it stops.</summary>
public sealed class StreamOverviewMonitorStopTests
{
    [Fact]
    public async Task Stop_WhileARefreshFailsWithARedisError_DoesNotThrow()
    {
        var connections = new FailsWhenCancelledConnectionFactory();
        var monitor = new StreamOverviewMonitor(
            new StreamOverviewReader(connections), [new StreamOverviewRequest("s")]);
        monitor.Start();
        await connections.Waiting.Task;

        await monitor.StopAsync();
        await monitor.DisposeAsync();
    }

    /// <summary>Connecting waits until cancelled, then fails with a connection error (not a cancellation), as a
    /// connect attempt cut off by shutdown can.</summary>
    private sealed class FailsWhenCancelledConnectionFactory : IRedisConnectionFactory
    {
        public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<IConnectionMultiplexer> GetSharedAsync(CancellationToken cancellationToken = default)
        {
            Waiting.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            throw new RedisConnectionException(ConnectionFailureType.SocketClosed, "closed (test)");
        }

        public Task<IConnectionMultiplexer> ConnectDedicatedAsync(
            string clientName, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
