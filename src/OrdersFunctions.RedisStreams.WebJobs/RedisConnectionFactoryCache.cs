using System.Collections.Concurrent;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// One <see cref="IRedisConnectionFactory"/> (and so one shared multiplexer) per distinct connection string, for every
/// stream-triggered function of the host: ten functions on one Redis open one shared connection, not ten.
/// Owned by the host's service container, which disposes it when the host ends.
/// </summary>
public sealed class RedisConnectionFactoryCache : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<IRedisConnectionFactory>> _factories =
        new(StringComparer.Ordinal);
    private readonly Func<string, string?, IRedisConnectionFactory> _create;

    public RedisConnectionFactoryCache()
        : this(static (connectionString, settingName) =>
            new RedisConnectionFactory(ConfigurationOptions.Parse(connectionString), settingName))
    {
    }

    /// <summary>For tests: decides how a factory is made from a connection string.</summary>
    public RedisConnectionFactoryCache(Func<string, IRedisConnectionFactory> create)
        : this((connectionString, _) => create(connectionString))
    {
        ArgumentNullException.ThrowIfNull(create);
    }

    private RedisConnectionFactoryCache(Func<string, string?, IRedisConnectionFactory> create) => _create = create;

    /// <summary>The factory for <paramref name="connectionString"/>, created on first use; its failures name
    /// <paramref name="settingName"/> (the first one asked with, when several settings hold the same string).</summary>
    /// <exception cref="ArgumentException">The connection string is not valid StackExchange.Redis syntax.</exception>
    public IRedisConnectionFactory Get(string connectionString, string? settingName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        // Lazy: concurrent indexing of two functions must not create (and leak) two factories for one string.
        var lazy = _factories.GetOrAdd(connectionString,
            cs => new Lazy<IRedisConnectionFactory>(() => _create(cs, settingName)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _factories.TryRemove(new KeyValuePair<string, Lazy<IRedisConnectionFactory>>(connectionString, lazy));
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _factories.Values)
        {
            if (lazy.IsValueCreated)
                await lazy.Value.DisposeAsync().ConfigureAwait(false);
        }
        _factories.Clear();
    }
}
