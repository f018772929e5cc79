using OrdersFunctions.RedisStreams.Testing.Contract;
using OrdersFunctions.RedisStreams.Testing.Servers;
using OrdersFunctions.RedisStreams.WebJobs.Tests.Hosting;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>The engine's consumer-group contract, run through the Functions trigger inside a WebJobs JobHost.</summary>
[Collection(RedisCollection.Name)]
public sealed class JobHostContractTests(RedisServerFixture redis) : ConsumerGroupContractTests(redis)
{
    protected override Task<IConsumerGroupAdapter> CreateAdapterAsync(IRedisTestServer redis) =>
        Task.FromResult<IConsumerGroupAdapter>(new JobHostConsumerGroupAdapter(redis.ConnectionString));
}
