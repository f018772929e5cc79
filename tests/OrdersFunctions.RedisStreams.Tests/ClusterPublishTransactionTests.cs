using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>On a Redis Cluster, keys named with <see cref="StreamKeys.SlotPrefix"/> are written in the same script as
/// the entry (no CROSSSLOT), whichever node owns the stream.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class ClusterPublishTransactionTests(RedisClusterFixture cluster)
{
    [Fact]
    public async Task PublishAsync_OnACluster_SlotPrefixedConditionAndWritesWorkTogether()
    {
        var stream = TestNames.Stream();
        var (reservation, index) =
            (StreamKeys.SlotPrefix(stream) + "reservation", StreamKeys.SlotPrefix(stream) + "index");
        var db = (await cluster.GetConnectionAsync()).GetDatabase();
        await db.StringSetAsync(reservation, "mine");
        await using var connections = new RedisConnectionFactory(cluster.ConnectionString);

        var id = await new StreamPublisher(connections).PublishAsync(
            stream, new OutgoingMessage("T", new byte[] { 1 }), new PublishTransaction
            {
                Condition = new PublishCondition(reservation, "mine"),
                Writes = [EntryIdWrite.EntryId(index, TimeSpan.FromMinutes(1))],
            });

        Assert.NotNull(id);
        Assert.Equal(id, (string?)(await db.StreamRangeAsync(stream)).Single().Id);
        Assert.Equal(id, (string?)await db.StringGetAsync(index));
    }

    [Theory]
    [InlineData("orders-placed")]
    [InlineData("{orders}-placed")]
    [InlineData("a{b")]
    [InlineData("tenant:7:orders")]
    public async Task SlotPrefix_KeysWithIt_AreInTheStreamsSlot_AsTheClusterComputesIt(string stream)
    {
        var db = (await cluster.GetConnectionAsync()).GetDatabase();
        async Task<long> SlotOf(string key) => (long)await db.ExecuteAsync("CLUSTER", "KEYSLOT", key);

        Assert.Equal(await SlotOf(stream), await SlotOf(StreamKeys.SlotPrefix(stream) + "order:42"));
    }
}
