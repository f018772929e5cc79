using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests.DeadLetters;

/// <summary>Dead-lettering writes the dead letter, counts it and acknowledges the entry together, and never twice for
/// one (group, entry).</summary>
[Collection(RedisCollection.Name)]
public sealed class DeadLetterWriterTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Write_AddsTheDeadLetter_CountsIt_AndAcknowledgesTheEntry()
    {
        var (db, stream, group) = await PendingEntryAsync();
        var writer = new DeadLetterWriter(stream, group, stream + ":dead-letter", TimeSpan.FromDays(1));
        var entry = await ReadPendingAsync(db, stream, group);

        var written = await writer.WriteAsync(db, entry, Record(stream, group, entry.Id));

        Assert.True(written.Written);
        Assert.Equal(1, await db.StreamLengthAsync(stream + ":dead-letter"));
        Assert.Equal(0, (await db.StreamPendingAsync(stream, group)).PendingMessageCount);
        var counts = await DeadLetterCounts.ReadAsync(db, stream + ":dead-letter");
        Assert.True(counts.Exact);
        Assert.Equal(1, counts.For(stream, group));
        Assert.Equal(
            written.DeadLetterId,
            (string?)await db.StringGetAsync(DeadLetterKeys.Written(stream + ":dead-letter", group, entry.Id)));
    }

    [Fact]
    public async Task WritingTheSameEntryAgain_AddsNoSecondDeadLetter()
    {
        var (db, stream, group) = await PendingEntryAsync();
        var writer = new DeadLetterWriter(stream, group, stream + ":dead-letter", TimeSpan.FromDays(1));
        var entry = await ReadPendingAsync(db, stream, group);
        var first = await writer.WriteAsync(db, entry, Record(stream, group, entry.Id));

        var second = await writer.WriteAsync(db, entry, Record(stream, group, entry.Id));

        Assert.False(second.Written);
        Assert.Equal(first.DeadLetterId, second.DeadLetterId);
        Assert.Equal(1, await db.StreamLengthAsync(stream + ":dead-letter"));
        Assert.Equal(1, (await DeadLetterCounts.ReadAsync(db, stream + ":dead-letter")).For(stream, group));
    }

    [Fact]
    public async Task TheDeadLetter_HoldsTheBookkeepingAndTheOriginalFields()
    {
        var (db, stream, group) = await PendingEntryAsync();
        var writer = new DeadLetterWriter(stream, group, stream + ":dead-letter", TimeSpan.FromDays(1));
        var entry = await ReadPendingAsync(db, stream, group);

        await writer.WriteAsync(db, entry, Record(stream, group, entry.Id));

        var stored = (await db.StreamRangeAsync(stream + ":dead-letter"))[0];
        var values = stored.Values.ToDictionary(v => (string)v.Name!, v => (string?)v.Value);
        Assert.Equal(entry.Id, values[DeadLetterFields.OriginalId]);
        Assert.Equal(group, values[DeadLetterFields.Group]);
        Assert.Equal("System.InvalidOperationException", values[DeadLetterFields.ErrorType]);
        Assert.Equal("the payload", values["payload"]);
        // An original field named like a bookkeeping field keeps its value under original_{name}.
        Assert.Equal("theirs", values["original_group"]);
    }

    private async Task<(IDatabase Db, string Stream, string Group)> PendingEntryAsync(
        [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var db = (await redis.GetConnectionAsync()).GetDatabase();
        var stream = TestNames.Stream(test);
        var group = TestNames.Group();
        await db.StreamCreateConsumerGroupAsync(stream, group, StreamPosition.Beginning, createStream: true);
        await db.StreamAddAsync(
            stream, [new NameValueEntry("payload", "the payload"), new NameValueEntry("group", "theirs")]);
        return (db, stream, group);
    }

    internal static async Task<RawEntry> ReadPendingAsync(IDatabase db, string stream, string group)
    {
        var read = await db.StreamReadGroupAsync(stream, group, "c1", ">", count: 1);
        return RawEntry.From(read)[0];
    }

    internal static DeadLetterRecord Record(string stream, string group, string entryId) =>
        new("", entryId, stream, group, "c1", 5, "System.InvalidOperationException", "boom", DateTimeOffset.UtcNow);
}
