using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests.Operations;

/// <summary>
/// Shared connections whose XADD
/// (<see cref="IDatabase.StreamAddAsync(RedisKey, NameValueEntry[], RedisValue?, int?, bool, CommandFlags)"/>)
/// really runs on Redis, then hands its reply to <paramref name="onReply"/>, which may hold it back or replace it with
/// an error: a reply lost to a timeout or a dropped connection after the command was sent, or a slow replayer.
/// </summary>
internal sealed class InterceptedXAddConnectionFactory(
    IRedisConnectionFactory inner, Func<Task<RedisValue>, Task<RedisValue>> onReply)
    : IRedisConnectionFactory
{
    public async Task<IConnectionMultiplexer> GetSharedAsync(CancellationToken cancellationToken = default)
    {
        var real = await inner.GetSharedAsync(cancellationToken);
        return StalledReadConnectionFactory.Forwarder<IConnectionMultiplexer>.Wrap(real, (method, _, result) =>
            method.Name == nameof(IConnectionMultiplexer.GetDatabase)
                ? StalledReadConnectionFactory.Forwarder<IDatabase>.Wrap((IDatabase)result!, (m, _, r) =>
                    m.Name == nameof(IDatabase.StreamAddAsync) ? onReply((Task<RedisValue>)r!) : r)
                : result);
    }

    public Task<IConnectionMultiplexer> ConnectDedicatedAsync(
        string clientName, CancellationToken cancellationToken = default) =>
        inner.ConnectDedicatedAsync(clientName, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
