using System.Collections.Concurrent;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests.Overview;

/// <summary>
/// Shared connections that record every command the code under test sends through <see cref="IDatabase"/>: typed
/// calls by method name (<c>HashGetAllAsync</c>), raw ones by command and arguments (<c>XINFO GROUPS key</c>).
/// </summary>
internal sealed class CountingConnectionFactory(IRedisConnectionFactory inner) : IRedisConnectionFactory
{
    public ConcurrentQueue<string> Commands { get; } = new();

    /// <summary>Raw commands whose text starts with <paramref name="prefix"/> ("XRANGE", "XINFO GROUPS").</summary>
    public IReadOnlyList<string> Raw(string prefix) =>
        Commands.Where(c => c.StartsWith(prefix + " ", StringComparison.Ordinal) || c == prefix).ToList();

    public void Clear() => Commands.Clear();

    public async Task<IConnectionMultiplexer> GetSharedAsync(CancellationToken cancellationToken = default)
    {
        var real = await inner.GetSharedAsync(cancellationToken);
        return StalledReadConnectionFactory.Forwarder<IConnectionMultiplexer>.Wrap(real, (method, _, result) =>
            method.Name == nameof(IConnectionMultiplexer.GetDatabase)
                ? StalledReadConnectionFactory.Forwarder<IDatabase>.Wrap((IDatabase)result!, (m, args, r) =>
                {
                    Commands.Enqueue(Describe(m.Name, args));
                    return r;
                })
                : result);
    }

    public Task<IConnectionMultiplexer> ConnectDedicatedAsync(string clientName,
        CancellationToken cancellationToken = default) =>
        inner.ConnectDedicatedAsync(clientName, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Describe(string method, object?[]? args)
    {
        if (method is not (nameof(IDatabase.ExecuteAsync) or nameof(IDatabase.Execute)) || args is not { Length: > 0 })
            return method;
        var words = new List<string> { args[0]?.ToString() ?? "" };
        if (args.Length > 1 && args[1] is object[] rest)
            words.AddRange(rest.Select(a => a?.ToString() ?? ""));
        else if (args.Length > 1 && args[1] is ICollection<object> list)
            words.AddRange(list.Select(a => a?.ToString() ?? ""));
        return string.Join(' ', words);
    }
}
