using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Contract;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>A running subscriber whose stream (and so its group) disappears recreates the group and goes on.</summary>
[Collection(RedisCollection.Name)]
public sealed class NoGroupRecoveryTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Subscriber_StreamDeletedWhileRunning_RecreatesTheGroupAndHandlesNewEntries()
    {
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        await using var adapter = new EngineAdapter(redis.ConnectionString);
        var log = new MessageLog();
        await using var consumer = await adapter.StartConsumerAsync(
            new ConsumerSpec(stream, group, TestNames.Consumer()), log.Record, CancellationToken.None);
        var first = ContractMessage.Create("T", 1);
        await adapter.PublishAsync(stream, first, CancellationToken.None);
        await log.WaitForAllAsync([first.MessageId], "the subscriber before the stream is deleted");

        var db = (await redis.GetConnectionAsync()).GetDatabase();
        Assert.True(await db.KeyDeleteAsync(stream));
        var afterDelete = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var message = ContractMessage.Create("T", i + 2);
            await adapter.PublishAsync(stream, message, CancellationToken.None);
            afterDelete.Add(message.MessageId);
        }

        await log.WaitForAllAsync(afterDelete, "the subscriber after the stream was deleted and written again");
        var inspector = new StreamInspector(await redis.GetConnectionAsync());
        Assert.Contains(await inspector.GroupsAsync(stream), g => g.Name == group);
    }
}
