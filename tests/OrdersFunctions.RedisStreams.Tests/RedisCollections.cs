using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>Tests that share one redis-server (run one after another; other collections run beside them).</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "Redis";
}

/// <summary>Tests that share one 3-node Redis Cluster.</summary>
[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "Redis Cluster";
}
