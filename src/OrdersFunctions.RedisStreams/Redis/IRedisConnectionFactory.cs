using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>
/// Hands out Redis connections. The shared multiplexer serves every non-blocking command of the process (publish, ack,
/// claim); blocking reads each get a dedicated multiplexer, because StackExchange.Redis forbids blocking commands on a
/// shared one (a blocked socket would stall every other caller). Works against a single server or a Redis Cluster;
/// password and TLS come from the StackExchange.Redis connection string.
/// </summary>
/// <remarks>The members with a body are for factories that cannot tell more (test doubles, wrappers): they report
/// connected and name failures without knowing the setting, so callers meet failures in their commands.</remarks>
public interface IRedisConnectionFactory : IAsyncDisposable
{
    /// <summary>The process-wide shared multiplexer (connected once, reused).</summary>
    Task<IConnectionMultiplexer> GetSharedAsync(CancellationToken cancellationToken = default);

    /// <summary>A new multiplexer that the caller owns and disposes, for blocking reads.</summary>
    Task<IConnectionMultiplexer> ConnectDedicatedAsync(
        string clientName, CancellationToken cancellationToken = default);

    /// <summary>
    /// What is known about the shared connection now, without waiting: connected, or why not. Answering a request
    /// from it takes no time whatever Redis does, where a command would wait out the connect or backlog timeout.
    /// Reading it starts the shared connection if nothing has yet.
    /// </summary>
    RedisConnectionStatus Status => RedisConnectionStatus.Connected;

    /// <summary>Starts connecting the shared multiplexer if nothing has yet, and waits at most
    /// <paramref name="maxWait"/> for the first outcome (connected, or a failure).</summary>
    Task StartConnectingAsync(TimeSpan maxWait, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>The problem behind a failure of one of this factory's connections, in one line naming the setting and
    /// the fix (never its value).</summary>
    RedisConnectionProblem DescribeFailure(Exception exception) =>
        RedisConnectionProblem.OfFailure(exception, settingName: null, passwordGiven: false, tls: false);
}
