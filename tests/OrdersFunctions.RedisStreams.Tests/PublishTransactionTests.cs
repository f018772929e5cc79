using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>Publishing with a <see cref="PublishTransaction"/>: condition, entry and writes happen together or not at
/// all.</summary>
[Collection(RedisCollection.Name)]
public sealed class PublishTransactionTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly RedisConnectionFactory _connections = new(redis.ConnectionString);
    private IDatabase _db = null!;

    public async Task InitializeAsync() => _db = (await redis.GetConnectionAsync()).GetDatabase();

    public async Task DisposeAsync() => await _connections.DisposeAsync();

    [Fact]
    public async Task PublishAsync_WithWrites_SetsEachKeyToItsTemplateFilledWithTheEntryId_ForItsTtl()
    {
        var stream = TestNames.Stream();
        var (index, answer) = (StreamKeys.SlotPrefix(stream) + "index", StreamKeys.SlotPrefix(stream) + "answer");
        var publisher = new StreamPublisher(_connections);

        var id = await publisher.PublishAsync(stream, new OutgoingMessage("T", new byte[] { 1 }), new PublishTransaction
        {
            Writes =
            [
                EntryIdWrite.EntryId(index, TimeSpan.FromMinutes(5)),
                new EntryIdWrite(answer, "{\"entry\":\"{entryId}\"}", TimeSpan.FromMinutes(1)),
            ],
        });

        Assert.NotNull(id);
        Assert.Equal(id, (string?)(await _db.StreamRangeAsync(stream)).Single().Id);
        Assert.Equal(id, (string?)await _db.StringGetAsync(index));
        Assert.Equal($"{{\"entry\":\"{id}\"}}", (string?)await _db.StringGetAsync(answer));
        Assert.InRange((await _db.KeyTimeToLiveAsync(index))!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.InRange((await _db.KeyTimeToLiveAsync(answer))!.Value, TimeSpan.Zero, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task PublishAsync_ConditionHolds_PublishesTheEnvelopeAsUsual()
    {
        var stream = TestNames.Stream();
        var reservation = StreamKeys.SlotPrefix(stream) + "reservation";
        await _db.StringSetAsync(reservation, "mine");
        var message = new OutgoingMessage("T", new byte[] { 7 });

        var id = await new StreamPublisher(_connections).PublishAsync(stream, message, new PublishTransaction
        {
            Condition = new PublishCondition(reservation, "mine"),
        });

        var entry = (await _db.StreamRangeAsync(stream)).Single();
        Assert.Equal(id, (string?)entry.Id);
        Assert.Equal(message.MessageId, (string?)entry[StreamEnvelope.MessageId]);
        Assert.Equal("T", (string?)entry[StreamEnvelope.Type]);
        Assert.Equal(new byte[] { 7 }, (byte[]?)entry[StreamEnvelope.Payload]);
    }

    [Fact]
    public async Task PublishAsync_ConditionFails_ReturnsNull_AndWritesNothing()
    {
        var stream = TestNames.Stream();
        var (reservation, index) =
            (StreamKeys.SlotPrefix(stream) + "reservation", StreamKeys.SlotPrefix(stream) + "index");
        await _db.StringSetAsync(reservation, "someone else's");

        var id = await new StreamPublisher(_connections).PublishAsync(
            stream, new OutgoingMessage("T", new byte[] { 1 }), new PublishTransaction
            {
                Condition = new PublishCondition(reservation, "mine"),
                Writes = [EntryIdWrite.EntryId(index, TimeSpan.FromMinutes(1))],
            });

        Assert.Null(id);
        Assert.False(await _db.KeyExistsAsync(stream));
        Assert.False(await _db.KeyExistsAsync(index));
    }

    [Fact]
    public async Task PublishAsync_ConditionKeyMissing_CountsAsNotHolding()
    {
        var stream = TestNames.Stream();

        var id = await new StreamPublisher(_connections).PublishAsync(
            stream, new OutgoingMessage("T", new byte[] { 1 }), new PublishTransaction
            {
                Condition = new PublishCondition(StreamKeys.SlotPrefix(stream) + "expired", "mine"),
            });

        Assert.Null(id);
        Assert.False(await _db.KeyExistsAsync(stream));
    }

    [Fact]
    public async Task PublishAsync_KeyOutsideTheStreamsSlot_IsRefusedNamingItAndThePrefix_BeforeAnythingIsWritten()
    {
        var stream = TestNames.Stream();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => new StreamPublisher(_connections).PublishAsync(
            stream, new OutgoingMessage("T", new byte[] { 1 }),
            new PublishTransaction { Writes = [EntryIdWrite.EntryId(stream + ":index", TimeSpan.FromMinutes(1))] }));

        Assert.Contains($"'{stream}:index'", error.Message);
        Assert.Contains(StreamKeys.SlotPrefix(stream), error.Message);
        Assert.False(await _db.KeyExistsAsync(stream));
    }

    [Fact]
    public async Task PublishAsync_WithMaxLength_TrimsInTheSameStep()
    {
        var stream = TestNames.Stream();
        var publisher = new StreamPublisher(_connections, new StreamPublisherOptions { MaxLength = 50 });
        var index = StreamKeys.SlotPrefix(stream) + "index";

        for (var i = 0; i < 1_000; i++)
            await publisher.PublishAsync(stream, new OutgoingMessage("T", new byte[] { 1 }),
                new PublishTransaction { Writes = [EntryIdWrite.EntryId(index, TimeSpan.FromMinutes(1))] });

        // Approximate trimming removes whole macro-nodes (100 entries by default), so up to one node more remains.
        Assert.InRange(await _db.StreamLengthAsync(stream), 50, 150);
        Assert.Equal((string?)(await _db.StreamRangeAsync(stream))[^1].Id, (string?)await _db.StringGetAsync(index));
    }
}
