using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using OrdersFunctions.RedisStreams.Tests.Overview;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>The claim sweep reads a long pending list page by page, each page a bounded command, and still reaches an
/// entry due for a claim behind more fresh entries than one pass reads.</summary>
[Collection(RedisCollection.Name)]
public sealed class ClaimSweepAtScaleTests(RedisServerFixture redis)
{
    [Fact]
    public async Task DueEntryBehindMoreFreshEntriesThanOnePassReads_IsClaimed_WithBoundedPages()
    {
        var db = (await redis.GetConnectionAsync()).GetDatabase();
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        string last = "";
        for (var start = 0; start < 25_000; start += 1_000)
        {
            var ids = await Task.WhenAll(Enumerable.Range(start, 1_000).Select(i => db.StreamAddAsync(stream,
            [
                new(StreamEnvelope.MessageId, $"m{i}"), new(StreamEnvelope.Type, "T"),
                new(StreamEnvelope.Payload, "{}"), new(StreamEnvelope.Headers, "{}"),
                new(StreamEnvelope.PublishedAt, "2026-12-01T00:00:00Z"),
            ])));
            last = (string)ids[^1]!;
        }
        await db.StreamCreateConsumerGroupAsync(stream, group, "0-0");
        // A live consumer holds all 25,000 (fresh); the last one has been with a dead consumer for ten minutes.
        await db.StreamReadGroupAsync(stream, group, "busy", ">", 25_000);
        await db.ExecuteAsync("XCLAIM", stream, group, "dead", 0, last, "IDLE", 600_000, "JUSTID");
        await using var connections = new RedisConnectionFactory(redis.ConnectionString);
        var counting = new CountingConnectionFactory(connections);
        var handled = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var subscriber = new StreamSubscriber(counting, new StreamSubscriberOptions
        {
            Stream = stream,
            Group = group,
            Consumer = TestNames.Consumer("live"),
            RetryBackoffInitial = TimeSpan.FromMinutes(1), // the busy consumer's entries stay too fresh to touch
            ClaimMinIdle = TimeSpan.FromMinutes(2),
            ClaimInterval = TimeSpan.FromMilliseconds(50),
        }, (message, _) =>
        {
            handled.TrySetResult(message.EntryId);
            return Task.CompletedTask;
        });
        await subscriber.StartAsync();

        Assert.Equal(last, await handled.Task.WaitAsync(Eventually.DefaultTimeout));
        var pages = counting.Commands.Where(c => c == nameof(IDatabase.StreamPendingMessagesAsync)).ToList();
        Assert.True(pages.Count > 25_000 / 512, $"{pages.Count} pages"); // it read the list page by page...
        Assert.Empty(counting.Raw("XPENDING")); // ...and never had Redis filter the whole list in one command
    }
}
