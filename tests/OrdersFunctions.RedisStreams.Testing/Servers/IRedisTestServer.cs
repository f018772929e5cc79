using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Testing.Servers;

/// <summary>A Redis (single server or cluster) that tests can reach: a connection string for the code under test and a
/// shared connection for the test's own inspection commands.</summary>
public interface IRedisTestServer
{
    /// <summary>A StackExchange.Redis connection string for the code under test.</summary>
    string ConnectionString { get; }

    /// <summary>Where this Redis came from, for failure messages ("redis-server on 127.0.0.1:41234").</summary>
    string Description { get; }

    /// <summary>A connection the fixture owns and shares between tests (do not dispose it).</summary>
    Task<IConnectionMultiplexer> GetConnectionAsync();
}
