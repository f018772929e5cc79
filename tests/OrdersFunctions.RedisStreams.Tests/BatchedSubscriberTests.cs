using System.Collections.Concurrent;
using System.Text;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>
/// A batched subscriber (<see cref="StreamSubscriber.ForBatches"/>) keeps the engine's guarantees per entry: an entry
/// is acknowledged only when the invocation that carried it succeeded; after a failed batch each entry is retried
/// alone, so a poison entry is dead-lettered alone and the rest of its batch succeed; a crashed consumer's batch is
/// taken over.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class BatchedSubscriberTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly List<RedisConnectionFactory> _connections = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var connections in _connections)
            await connections.DisposeAsync();
    }

    [Fact]
    public async Task AllSucceed_EveryEntryIsHandledOnce_InBatchesOfAtMostMaxBatchSize_AndAcknowledged()
    {
        var (db, stream, group) = await NamesAsync();
        var published = await PublishAsync(stream, 250);
        var batches = new ConcurrentQueue<IReadOnlyList<StreamMessage>>();

        await using var subscriber = await StartAsync(stream, group, o => o.MaxBatchSize = 100, (messages, _) =>
        {
            batches.Enqueue(messages.ToArray());
            return Task.CompletedTask;
        });

        await Eventually.HoldsAsync(() => batches.Sum(b => b.Count) >= published.Count, "every entry handled");
        await NothingPendingAsync(db, stream, group);
        var handled = batches.SelectMany(b => b).Select(m => m.EntryId).ToList();
        Assert.Equal(published.Order(), handled.Order()); // each once
        Assert.All(batches, b => Assert.InRange(b.Count, 1, 100));
        Assert.Contains(batches, b => b.Count > 1); // 250 entries waiting before the start: reads return many
        Assert.All(batches.SelectMany(b => b), m => Assert.Equal(1, m.DeliveryCount));
    }

    [Fact]
    public async Task EntriesOfABatch_AreInStreamOrder()
    {
        var (db, stream, group) = await NamesAsync();
        await PublishAsync(stream, 50);
        var batches = new ConcurrentQueue<string[]>();

        await using var subscriber = await StartAsync(stream, group, o => o.MaxBatchSize = 50, (messages, _) =>
        {
            batches.Enqueue(messages.Select(m => m.EntryId).ToArray());
            return Task.CompletedTask;
        });

        await NothingPendingAsync(db, stream, group);
        Assert.All(batches, ids => Assert.Equal(ids.OrderBy(StreamIdKey), ids));
    }

    [Fact]
    public async Task PoisonEntryInABatch_IsDeadLetteredAlone_AndTheRestOfItsBatchSucceedOnTheirRetry()
    {
        var (db, stream, group) = await NamesAsync();
        var good = await PublishAsync(stream, 4);
        var poison = await PublishAsync(stream, 1, type: "Poison");
        good.AddRange(await PublishAsync(stream, 4));
        var succeeded = new ConcurrentQueue<StreamMessage>();
        var poisonDeliveries = new ConcurrentQueue<int>();

        await using var subscriber = await StartAsync(stream, group, o => o.MaxDeliveries = 3, (messages, _) =>
        {
            foreach (var m in messages.Where(m => m.Type == "Poison"))
                poisonDeliveries.Enqueue(m.DeliveryCount);
            if (messages.Any(m => m.Type == "Poison"))
                throw new InvalidOperationException("poison in the batch");
            foreach (var m in messages)
                succeeded.Enqueue(m);
            return Task.CompletedTask;
        });

        await NothingPendingAsync(db, stream, group);
        Assert.Equal(good.Order(), succeeded.Select(m => m.EntryId).Order());
        Assert.All(succeeded, m => Assert.Equal(2, m.DeliveryCount)); // failed with the batch once, then alone
        Assert.Equal([1, 2, 3], poisonDeliveries.ToArray());
        var dead = Assert.Single(await DeadLettersAsync(db, stream));
        Assert.Equal(poison.Single(), dead.OriginalId);
        Assert.Equal(3, dead.DeliveryCount);
        Assert.Contains("poison in the batch", dead.ErrorMessage);
    }

    [Fact]
    public async Task FailedBatch_WithOneDeliveryAllowed_DeadLettersEachEntryOfIt()
    {
        var (db, stream, group) = await NamesAsync();
        var published = await PublishAsync(stream, 5);

        await using var subscriber = await StartAsync(stream, group, o => o.MaxDeliveries = 1,
            (_, _) => throw new InvalidOperationException("the whole batch fails"));

        await NothingPendingAsync(db, stream, group);
        var dead = await DeadLettersAsync(db, stream);
        Assert.Equal(published.Order(), dead.Select(d => d.OriginalId!).Order());
        Assert.All(dead, d => Assert.Contains("the whole batch fails", d.ErrorMessage));
    }

    [Fact]
    public async Task MalformedEntryAmongValidOnes_IsDeadLetteredAtOnce_AndNeverReachesTheBatch()
    {
        var (db, stream, group) = await NamesAsync();
        var valid = await PublishAsync(stream, 3);
        var malformed = (string)(await db.StreamAddAsync(stream, "no-envelope", "x"))!;
        valid.AddRange(await PublishAsync(stream, 3));
        var handled = new ConcurrentQueue<string>();

        await using var subscriber = await StartAsync(stream, group, null, (messages, _) =>
        {
            foreach (var m in messages)
                handled.Enqueue(m.EntryId);
            return Task.CompletedTask;
        });

        await NothingPendingAsync(db, stream, group);
        Assert.Equal(valid.Order(), handled.Order());
        Assert.Equal(malformed, Assert.Single(await DeadLettersAsync(db, stream)).OriginalId);
    }

    [Fact]
    public async Task CrashMidBatch_TheBatchStaysPending_AndAnotherConsumerHandlesEveryEntryOfIt()
    {
        var (db, stream, group) = await NamesAsync();
        var published = await PublishAsync(stream, 10);
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var neverReturns = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var crashedConsumer = TestNames.Consumer("crashing");
        var crashing = await StartAsync(stream, group, o =>
        {
            o.Consumer = crashedConsumer;
            o.ShutdownTimeout = TimeSpan.Zero; // stop without waiting: the batch is abandoned, as in a crash
        }, async (_, _) =>
        {
            inFlight.TrySetResult();
            await neverReturns.Task; // ignores cancellation: the process "died" mid-batch
        });
        await Eventually.WithinAsync(inFlight.Task, "the first consumer holds a batch");
        await crashing.DisposeAsync();
        var heldByCrashed = await db.StreamPendingMessagesAsync(stream, group, 100, crashedConsumer);
        Assert.Equal(published.Order(), heldByCrashed.Select(p => (string)p.MessageId!).Order());

        var handled = new ConcurrentQueue<StreamMessage>();
        await using var survivor = await StartAsync(stream, group, o =>
        {
            o.ClaimMinIdle = TimeSpan.FromMilliseconds(300);
            o.ClaimInterval = TimeSpan.FromMilliseconds(100);
        }, (messages, _) =>
        {
            foreach (var m in messages)
                handled.Enqueue(m);
            return Task.CompletedTask;
        });

        await NothingPendingAsync(db, stream, group);
        neverReturns.TrySetResult(); // the "dead" handler returning now acknowledges nothing: its subscriber is gone
        Assert.Equal(published.Order(), handled.Select(m => m.EntryId).Order());
        Assert.All(handled, m => Assert.Equal(2, m.DeliveryCount));
        Assert.Empty(await DeadLettersAsync(db, stream));
    }

    [Fact]
    public async Task RetriesAfterAFailedBatch_AreClaimedOnlyAsFastAsHandlersFree_SoNoneIsTakenOverAndRunTwice()
    {
        var (db, stream, group) = await NamesAsync();
        var published = await PublishAsync(stream, 20);
        var succeeded = new ConcurrentQueue<string>();
        var firstBatch = 0;
        StreamBatchHandler handler = async (messages, _) =>
        {
            if (Interlocked.Exchange(ref firstBatch, 1) == 0)
                throw new InvalidOperationException("the first batch fails");
            await Task.Delay(200); // each retry alone takes a while: 20 of them take 4 s, twice ClaimMinIdle
            foreach (var m in messages)
                succeeded.Enqueue(m.EntryId);
        };
        void Configure(StreamSubscriberOptions o)
        {
            o.MaxConcurrency = 1;
            o.ClaimMinIdle = TimeSpan.FromSeconds(2);
        }
        await using var first = await StartAsync(stream, group, Configure, handler);
        await using var second = await StartAsync(stream, group, Configure, handler); // claims what idles past 2 s

        await NothingPendingAsync(db, stream, group);
        Assert.Equal(published.Order(), succeeded.Order()); // each entry succeeded exactly once
    }

    [Fact]
    public async Task ShortRead_IsFilledUpWithEntriesArrivingWithinMaxBatchWait()
    {
        var (db, stream, group) = await NamesAsync();
        var batches = new ConcurrentQueue<int>();
        await using var subscriber = await StartAsync(stream, group, o =>
        {
            o.MaxBatchSize = 5;
            // the longest allowed: far longer than publishing five entries takes
            o.MaxBatchWait = TimeSpan.FromSeconds(10);
        }, (messages, _) =>
        {
            batches.Enqueue(messages.Count);
            return Task.CompletedTask;
        });
        await subscriber.Reading;

        await PublishAsync(stream, 5, oneByOne: true);

        await NothingPendingAsync(db, stream, group);
        Assert.Equal([5], batches.ToArray());
    }

    [Fact]
    public async Task ShutdownDuringABatch_LeavesItsEntriesPending_WithoutCountingAFailure()
    {
        var (db, stream, group) = await NamesAsync();
        var published = await PublishAsync(stream, 3);
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscriber = await StartAsync(stream, group, o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(100),
            async (_, ct) =>
            {
                inFlight.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            });
        await Eventually.WithinAsync(inFlight.Task, "a batch in flight");

        await subscriber.DisposeAsync();

        var pending = await db.StreamPendingMessagesAsync(stream, group, 100, RedisValue.Null);
        Assert.Equal(published.Order(), pending.Select(p => (string)p.MessageId!).Order());
        Assert.All(pending, p => Assert.Equal(1, p.DeliveryCount));
        Assert.Empty(await DeadLettersAsync(db, stream));
    }

    private async Task<(IDatabase Db, string Stream, string Group)> NamesAsync()
    {
        var connection = await redis.GetConnectionAsync();
        return (connection.GetDatabase(), TestNames.Stream(), TestNames.Group());
    }

    private async Task<List<string>> PublishAsync(string stream, int count, string type = "T", bool oneByOne = false)
    {
        await using var connections = new RedisConnectionFactory(redis.ConnectionString);
        var publisher = new StreamPublisher(connections);
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var payload = Encoding.UTF8.GetBytes($"{{\"n\":{i}}}");
            ids.Add(await publisher.PublishAsync(stream, new OutgoingMessage(type, payload)));
            if (oneByOne)
                await Task.Yield();
        }
        return ids;
    }

    private async Task<StreamSubscriber> StartAsync(
        string stream, string group, Action<StreamSubscriberOptions>? configure, StreamBatchHandler handler)
    {
        var options = new StreamSubscriberOptions
        {
            Stream = stream,
            Group = group,
            Consumer = TestNames.Consumer(),
            RetryBackoffInitial = TimeSpan.FromMilliseconds(50),
            RetryBackoffMax = TimeSpan.FromMilliseconds(200),
            ClaimInterval = TimeSpan.FromMilliseconds(100),
            BlockTimeout = TimeSpan.FromMilliseconds(500),
        };
        configure?.Invoke(options);
        var connections = new RedisConnectionFactory(redis.ConnectionString);
        _connections.Add(connections);
        var subscriber = StreamSubscriber.ForBatches(connections, options, handler);
        await subscriber.StartAsync();
        return subscriber;
    }

    /// <summary>Every entry delivered to the group and acknowledged: the group's last delivered id is checked first,
    /// then the pending count, so entries read between the two reads cannot slip through.</summary>
    private static async Task NothingPendingAsync(IDatabase db, string stream, string group) =>
        await Eventually.HoldsAsync(async () =>
        {
            var last = (await db.StreamRangeAsync(stream, "-", "+", count: 1, messageOrder: Order.Descending))
                .Single().Id;
            var groups = (RedisResult[])(await db.ExecuteAsync("XINFO", "GROUPS", stream))!;
            var delivered = groups
                .Select(g => g.ToDictionary())
                .Single(g => (string?)g["name"] == group)["last-delivered-id"];
            if ((string?)delivered != (string?)last)
                return false;
            return (await db.StreamPendingAsync(stream, group)).PendingMessageCount == 0;
        }, "every entry delivered and acknowledged");

    private static async Task<IReadOnlyList<DeadLetterEntry>> DeadLettersAsync(IDatabase db, string stream) =>
        (await db.StreamRangeAsync(stream + ":dead-letter")).Select(DeadLetterEntry.From).ToList();

    private static (long, long) StreamIdKey(string id)
    {
        var dash = id.IndexOf('-');
        return (long.Parse(id[..dash]), long.Parse(id[(dash + 1)..]));
    }
}
