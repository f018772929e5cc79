using System.Collections.Concurrent;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>
/// A stop drains what the subscriber had already read, not only what was running: after a scale-in the stopped
/// instance's consumer never returns, so an entry it read and left undispatched would wait ClaimMinIdle for another.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ShutdownDrainTests(RedisServerFixture redis)
{
    [Fact]
    public async Task StopAsync_EntriesReadButWaitingForASlot_AreHandledAndAcknowledged_NothingLeftPending()
    {
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        await using var connections = new RedisConnectionFactory(redis.ConnectionString);
        var publisher = new StreamPublisher(connections);
        for (var i = 0; i < 10; i++)
            await publisher.PublishAsync(stream, new OutgoingMessage("T", new byte[] { (byte)i }));
        var handled = new ConcurrentQueue<string>();
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new StreamSubscriberOptions
        {
            Stream = stream,
            Group = group,
            Consumer = TestNames.Consumer(),
            BatchSize = 10, // one read takes all ten ...
            MaxConcurrency = 1, // ... and runs them one at a time
            ShutdownTimeout = TimeSpan.FromSeconds(20), // ample for ten 50 ms handlers on a busy machine
        };
        await using var subscriber = new StreamSubscriber(connections, options, async (message, _) =>
        {
            firstStarted.TrySetResult();
            await Task.Delay(50, CancellationToken.None);
            handled.Enqueue(message.EntryId);
        });
        await subscriber.StartAsync();
        await Eventually.WithinAsync(firstStarted.Task, "the first handler starts");

        await subscriber.StopAsync();

        var database = (await connections.GetSharedAsync()).GetDatabase();
        var pending = await database.StreamPendingAsync(stream, group);
        Assert.Equal(10, handled.Count);
        Assert.Equal(0, pending.PendingMessageCount);
    }
}
