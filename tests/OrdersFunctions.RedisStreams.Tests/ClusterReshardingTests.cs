using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Contract;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>The stream's hash slot moves to another node while a subscriber runs (a resharding): the subscriber and
/// the publisher follow the MOVED redirection and nothing is lost.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class ClusterReshardingTests(RedisClusterFixture cluster)
{
    [Fact]
    public async Task Subscriber_StreamSlotMovedToAnotherNode_KeepsHandlingEntries()
    {
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        await using var adapter = new EngineAdapter(cluster.ConnectionString);
        var log = new MessageLog();
        await using var consumer = await adapter.StartConsumerAsync(
            new ConsumerSpec(stream, group, TestNames.Consumer()), log.Record, CancellationToken.None);
        var before = await adapter.PublishManyAsync(stream, 20);
        await log.WaitForAllAsync(before, "the subscriber before the resharding");

        await cluster.MoveSlotOfKeyAsync(stream);

        var after = await adapter.PublishManyAsync(stream, 20);
        await log.WaitForAllAsync(after, "the subscriber after the stream's slot moved");
        await Eventually.HoldsAsync(
            async () =>
                (await new StreamInspector(await cluster.GetConnectionAsync()).PendingAsync(stream, group)).Count == 0,
            "nothing left pending after the resharding");
    }
}
