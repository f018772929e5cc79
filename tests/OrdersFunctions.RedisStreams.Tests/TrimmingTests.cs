using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Contract;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>Approximate trimming on publish (MAXLEN ~ / MINID ~), and what the subscriber does with pending entries
/// that were trimmed or deleted meanwhile. Redis trims whole macro-nodes (100 entries by default), so the assertions
/// allow a node's worth of slack.</summary>
[Collection(RedisCollection.Name)]
public sealed class TrimmingTests(RedisServerFixture redis) : IAsyncLifetime
{
    private const int NodeSlack = 100;
    private readonly RedisConnectionFactory _connections = new(redis.ConnectionString);
    private StreamInspector _inspector = null!;

    public async Task InitializeAsync() => _inspector = new StreamInspector(await redis.GetConnectionAsync());

    public async Task DisposeAsync() => await _connections.DisposeAsync();

    [Fact]
    public async Task PublishAsync_WithMaxLength_KeepsAboutThatManyNewestEntries()
    {
        var stream = TestNames.Stream();
        var publisher = new StreamPublisher(_connections, new StreamPublisherOptions { MaxLength = 50 });

        string last = "";
        for (var i = 0; i < 1_000; i++)
            last = await publisher.PublishAsync(stream, new OutgoingMessage("T", new byte[] { 1 }));

        var length = await _inspector.LengthAsync(stream);
        Assert.InRange(length, 50, 50 + NodeSlack);
        Assert.Equal(last, (string?)(await _inspector.EntriesAsync(stream))[^1].Id);
    }

    [Fact]
    public async Task PublishAsync_WithMinIdAge_DropsEntriesOlderThanTheAge()
    {
        var stream = TestNames.Stream();
        var db = (await redis.GetConnectionAsync()).GetDatabase();
        // 250 entries from 1970 (ids 1-1 … 1-250): more than two whole macro-nodes, so approximate trimming can drop
        // them.
        for (var i = 1; i <= 250; i++)
            await db.StreamAddAsync(stream, "f", "old", messageId: $"1-{i}");
        var publisher = new StreamPublisher(
            _connections, new StreamPublisherOptions { MinIdAge = TimeSpan.FromHours(1) });

        await publisher.PublishAsync(stream, new OutgoingMessage("T", new byte[] { 1 }));

        var entries = await _inspector.EntriesAsync(stream);
        Assert.InRange(entries.Count, 1, 1 + NodeSlack);
        Assert.NotEqual("1-1", (string?)entries[0].Id);
    }

    [Fact]
    public async Task Subscriber_PendingEntriesDeletedFromTheStream_AreAcknowledgedNotRetriedForever()
    {
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        await using var adapter = new EngineAdapter(redis.ConnectionString);
        var spec = new ConsumerSpec(stream, group, TestNames.Consumer("doomed"))
        {
            ClaimMinIdle = TimeSpan.FromMilliseconds(300),
            MaxDeliveries = 100,
        };
        var taken = new MessageLog();
        var doomed = await adapter.StartConsumerAsync(spec, async (m, ct) =>
        {
            taken.Add(m);
            await Task.Delay(Timeout.Infinite, ct);
        }, CancellationToken.None);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add(await adapter.PublishAsync(stream, ContractMessage.Create("T", i), CancellationToken.None));
        await taken.WaitForCountAsync(3, "the consumer about to crash");
        await doomed.KillAsync();
        var db = (await redis.GetConnectionAsync()).GetDatabase();
        await db.StreamDeleteAsync(stream, ids.Select(id => (StackExchange.Redis.RedisValue)id).ToArray());

        var survivor = new MessageLog();
        await using var next = await adapter.StartConsumerAsync(
            spec with { Consumer = TestNames.Consumer("survivor") }, survivor.Record, CancellationToken.None);

        await Eventually.HoldsAsync(
            async () => (await _inspector.PendingAsync(stream, group)).Count == 0,
            "the deleted entries' pending records are acknowledged by the surviving consumer",
            () => _inspector.DescribeAsync(stream, group));
        Assert.Empty(survivor.All);
    }
}
