using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>One redis-server (or ORDERS_TEST_REDIS) shared by every Redis test class of this assembly.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "Redis";
}
