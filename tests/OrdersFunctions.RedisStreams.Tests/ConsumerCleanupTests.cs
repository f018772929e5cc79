using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>A subscriber deletes the group's dead consumers (idle past ConsumerIdleTimeout with nothing pending), never
/// one that holds pending entries, and never a live one.</summary>
[Collection(RedisCollection.Name)]
public sealed class ConsumerCleanupTests(RedisServerFixture redis)
{
    [Fact]
    public async Task DeadConsumerWithNothingPending_IsDeleted()
    {
        var (db, stream, group) = await GroupAsync();
        await db.ExecuteAsync("XGROUP", "CREATECONSUMER", stream, group, "dead-empty");

        await using var subscriber = await StartAsync(stream, group, TestNames.Consumer("live"));

        await Eventually.HoldsAsync(async () => !(await NamesAsync(db, stream, group)).Contains("dead-empty"),
            "the idle consumer without pending entries is deleted",
            async () => string.Join(", ", await NamesAsync(db, stream, group)));
    }

    [Fact]
    public async Task DeadConsumerWithPendingEntries_Stays()
    {
        var (db, stream, group) = await GroupAsync();
        await db.StreamAddAsync(stream, "f", "v");
        await db.StreamReadGroupAsync(stream, group, "dead-holding", ">", count: 1); // taken, never acknowledged
        await db.ExecuteAsync("XGROUP", "CREATECONSUMER", stream, group, "dead-empty");

        await using var subscriber = await StartAsync(stream, group, TestNames.Consumer("live"));
        // The empty one going shows that a cleanup ran after both were idle past the timeout.
        await Eventually.HoldsAsync(async () => !(await NamesAsync(db, stream, group)).Contains("dead-empty"),
            "a cleanup has run", async () => string.Join(", ", await NamesAsync(db, stream, group)));

        Assert.Contains("dead-holding", await NamesAsync(db, stream, group));
    }

    [Fact]
    public async Task LiveConsumerWithNothingPending_IsNotDeletedByAnotherConsumersCleanup()
    {
        var (db, stream, group) = await GroupAsync();
        var live = TestNames.Consumer("live");
        await using var first = await StartAsync(stream, group, live);
        await using var second = await StartAsync(stream, group, TestNames.Consumer("cleaner"));
        await db.ExecuteAsync("XGROUP", "CREATECONSUMER", stream, group, "dead-empty");

        // Cleanups run every ClaimInterval; the dead one going after the 4 s timeout shows they did.
        await Eventually.HoldsAsync(async () => !(await NamesAsync(db, stream, group)).Contains("dead-empty"),
            "a cleanup has run", async () => string.Join(", ", await NamesAsync(db, stream, group)));

        Assert.Contains(live, await NamesAsync(db, stream, group));
    }

    private async Task<(IDatabase Db, string Stream, string Group)> GroupAsync(
        [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var db = (await redis.GetConnectionAsync()).GetDatabase();
        var stream = TestNames.Stream(test);
        var group = TestNames.Group("g", test);
        await db.StreamCreateConsumerGroupAsync(stream, group, "0-0", createStream: true);
        return (db, stream, group);
    }

    private static async Task<string[]> NamesAsync(IDatabase db, string stream, string group) =>
        (await db.StreamConsumerInfoAsync(stream, group)).Select(c => c.Name).ToArray();

    private async Task<RunningSubscriber> StartAsync(string stream, string group, string consumer)
    {
        var connections = new RedisConnectionFactory(redis.ConnectionString);
        var subscriber = new StreamSubscriber(connections, new StreamSubscriberOptions
        {
            Stream = stream,
            Group = group,
            Consumer = consumer,
            BlockTimeout = TimeSpan.FromMilliseconds(200),
            ClaimInterval = TimeSpan.FromMilliseconds(100),
            ClaimMinIdle = TimeSpan.FromDays(1), // nothing is claimed: the pending entry stays where it is
            // Each live consumer records itself as seen at its own cleanups, every half of this: a sweep running late
            // on a loaded machine has 2 s to spare before its consumer looks dead to the other one.
            ConsumerIdleTimeout = TimeSpan.FromSeconds(4),
        }, (_, _) => Task.CompletedTask);
        await subscriber.StartAsync(CancellationToken.None);
        return new RunningSubscriber(subscriber, connections);
    }

    private sealed class RunningSubscriber(StreamSubscriber subscriber, RedisConnectionFactory connections)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await subscriber.StopAsync();
            await subscriber.DisposeAsync();
            await connections.DisposeAsync();
        }
    }
}
