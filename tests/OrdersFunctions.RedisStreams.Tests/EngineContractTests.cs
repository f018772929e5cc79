using OrdersFunctions.RedisStreams.Testing.Contract;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>The consumer-group contract, run on the engine against one redis-server.</summary>
[Collection(RedisCollection.Name)]
public sealed class EngineContractTests(RedisServerFixture redis) : ConsumerGroupContractTests(redis)
{
    protected override Task<IConsumerGroupAdapter> CreateAdapterAsync(IRedisTestServer redis) =>
        Task.FromResult<IConsumerGroupAdapter>(new EngineAdapter(redis.ConnectionString));
}

/// <summary>The consumer-group contract, run on the engine against a 3-node Redis Cluster: every connection (the
/// blocking reader's included) must reach the node owning the stream, and the dead-letter stream may sit on
/// another node.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class EngineClusterContractTests(RedisClusterFixture cluster) : ConsumerGroupContractTests(cluster)
{
    protected override Task<IConsumerGroupAdapter> CreateAdapterAsync(IRedisTestServer redis) =>
        Task.FromResult<IConsumerGroupAdapter>(new EngineAdapter(redis.ConnectionString));
}
