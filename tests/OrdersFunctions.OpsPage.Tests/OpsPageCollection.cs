using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.OpsPage.Tests;

/// <summary>Page tests sharing one redis-server and one browser; each test has its own stream, groups, folder and
/// browser context.</summary>
[CollectionDefinition(Name)]
public sealed class OpsPageCollection : ICollectionFixture<RedisServerFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "OpsPage";
}
