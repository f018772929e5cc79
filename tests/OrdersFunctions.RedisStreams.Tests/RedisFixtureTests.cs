using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>The test infrastructure itself: a resharding really moves the slot, a restart really keeps AOF data.
/// Without these, a passing MOVED or restart test could be passing for the wrong reason.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterFixtureTests(RedisClusterFixture cluster)
{
    [Fact]
    public async Task MoveSlotOfKeyAsync_KeyStaysReadable_AndItsSlotHasANewOwner()
    {
        var key = Testing.TestNames.Stream();
        var connection = await cluster.GetConnectionAsync();
        var db = connection.GetDatabase();
        await db.StringSetAsync(key, "value");
        var ownerBefore = (await connection.GetServers()[0].ClusterNodesAsync())!.GetBySlot(key)!.EndPoint;

        var newOwner = await cluster.MoveSlotOfKeyAsync(key);

        var ownerAfter = (await connection.GetServers()[0].ClusterNodesAsync())!.GetBySlot(key)!.EndPoint;
        Assert.NotEqual(ownerBefore, ownerAfter);
        Assert.Equal(newOwner, ownerAfter!.ToString());
        Assert.Equal("value", (string?)await db.StringGetAsync(key));
    }
}

public sealed class RestartableRedisServerFixtureTests(RestartableRedisServerFixture redis)
    : IClassFixture<RestartableRedisServerFixture>
{
    [Fact]
    public async Task RestartAsync_AfterAKill_TheServerComesBackOnTheSamePortWithItsData()
    {
        var key = Testing.TestNames.Stream();
        var db = (await redis.GetConnectionAsync()).GetDatabase();
        await db.StreamAddAsync(key, "f", "v");

        await redis.RestartAsync(kill: true);

        Assert.True(redis.OwnsProcess);
        await using var fresh = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        Assert.Equal(1, await fresh.GetDatabase().StreamLengthAsync(key));
    }
}
