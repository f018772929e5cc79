using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.App.Tests;

/// <summary>End-to-end tests sharing one redis-server; each test uses its own stream, groups and folder.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "Redis";
}
