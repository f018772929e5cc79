using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.Ops.Tests;

/// <summary>Tests sharing one redis-server; each uses its own stream and group.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "Redis";
}
