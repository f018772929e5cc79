using System.Reflection;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>
/// Connections whose blocking reads hand over their reply late: XREADGROUP on a dedicated connection completes only
/// <paramref name="stall"/> after Redis answered, as when the continuation is held up by a GC pause or a starved
/// thread pool. Everything else goes straight to the real connections.
/// </summary>
public sealed class StalledReadConnectionFactory(IRedisConnectionFactory inner, TimeSpan stall)
    : IRedisConnectionFactory
{
    public Task<IConnectionMultiplexer> GetSharedAsync(CancellationToken cancellationToken = default) =>
        inner.GetSharedAsync(cancellationToken);

    public async Task<IConnectionMultiplexer> ConnectDedicatedAsync(
        string clientName, CancellationToken cancellationToken = default)
    {
        var real = await inner.ConnectDedicatedAsync(clientName, cancellationToken);
        return Forwarder<IConnectionMultiplexer>.Wrap(real, (method, args, result) =>
            method.Name == nameof(IConnectionMultiplexer.GetDatabase)
                ? Forwarder<IDatabase>.Wrap((IDatabase)result!, StallReads)
                : result);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private object? StallReads(MethodInfo method, object?[]? args, object? result) =>
        method.Name == nameof(IDatabase.ExecuteAsync) && args is [string command, ..] && command == "XREADGROUP"
            ? StallAsync((Task<RedisResult>)result!)
            : result;

    private async Task<RedisResult> StallAsync(Task<RedisResult> read)
    {
        var reply = await read;
        await Task.Delay(stall);
        return reply;
    }

    /// <summary>Calls every member on the real object, then lets <c>onResult</c> replace what it returned.</summary>
    public class Forwarder<T> : DispatchProxy where T : class
    {
        private T _target = null!;
        private Func<MethodInfo, object?[]?, object?, object?> _onResult = null!;

        public static T Wrap(T target, Func<MethodInfo, object?[]?, object?, object?> onResult)
        {
            var proxy = Create<T, Forwarder<T>>();
            var forwarder = (Forwarder<T>)(object)proxy;
            forwarder._target = target;
            forwarder._onResult = onResult;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            try
            {
                return _onResult(targetMethod!, args, targetMethod!.Invoke(_target, args));
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }
        }
    }
}
