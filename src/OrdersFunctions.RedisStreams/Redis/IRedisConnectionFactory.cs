using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>
/// Hands out Redis connections. The shared multiplexer serves every non-blocking command of the process (publish, ack,
/// claim); blocking reads each get a dedicated multiplexer, because StackExchange.Redis forbids blocking commands on a
/// shared one (a blocked socket would stall every other caller). Works against a single server or a Redis Cluster;
/// password and TLS come from the StackExchange.Redis connection string.
/// </summary>
public interface IRedisConnectionFactory : IAsyncDisposable
{
    /// <summary>The process-wide shared multiplexer (connected once, reused).</summary>
    Task<IConnectionMultiplexer> GetSharedAsync(CancellationToken cancellationToken = default);

    /// <summary>A new multiplexer that the caller owns and disposes, for blocking reads.</summary>
    Task<IConnectionMultiplexer> ConnectDedicatedAsync(string clientName, CancellationToken cancellationToken = default);
}
