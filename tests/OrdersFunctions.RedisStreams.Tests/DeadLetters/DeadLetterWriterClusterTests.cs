using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests.DeadLetters;

/// <summary>In a Redis Cluster, dead-lettering is one script only when the stream and its dead-letter stream share a
/// slot; otherwise the acknowledgement is a second step, and a crash between the two still yields one dead
/// letter.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class DeadLetterWriterClusterTests(RedisClusterFixture cluster)
{
    [Fact]
    public async Task SlotsApart_ACrashBeforeTheAck_LeavesTheEntryPending_AndTheRetryWritesNoSecondDeadLetter()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(cluster.ConnectionString);
        var db = connection.GetDatabase();
        var stream = TestNames.Stream();
        var deadLetters = stream + ":dead-letter";
        Assert.NotEqual(connection.HashSlot(stream), connection.HashSlot(deadLetters));
        var group = TestNames.Group();
        await db.StreamCreateConsumerGroupAsync(stream, group, StreamPosition.Beginning, createStream: true);
        await db.StreamAddAsync(stream, "payload", "x");
        var entry = await DeadLetterWriterTests.ReadPendingAsync(db, stream, group);
        var writer = new DeadLetterWriter(stream, group, deadLetters, TimeSpan.FromDays(1));

        await Assert.ThrowsAsync<RedisConnectionException>(() =>
            writer.WriteAsync(
                CrashBeforeAckDatabase.Wrap(db), entry, DeadLetterWriterTests.Record(stream, group, entry.Id)));
        Assert.Equal(1, (await db.StreamPendingAsync(stream, group)).PendingMessageCount);
        var retry = await writer.WriteAsync(db, entry, DeadLetterWriterTests.Record(stream, group, entry.Id));

        Assert.False(retry.Written);
        Assert.Equal(1, await db.StreamLengthAsync(deadLetters));
        Assert.Equal(0, (await db.StreamPendingAsync(stream, group)).PendingMessageCount);
        Assert.Equal(1, (await DeadLetterCounts.ReadAsync(db, deadLetters)).For(stream, group));
    }

    [Fact]
    public async Task StreamsSharingAHashTag_AreDeadLetteredAndAcknowledgedInOneScript()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(cluster.ConnectionString);
        var db = connection.GetDatabase();
        var stream = "{" + TestNames.Stream() + "}-placed";
        var deadLetters = stream + ":dead-letter";
        var group = TestNames.Group();
        await db.StreamCreateConsumerGroupAsync(stream, group, StreamPosition.Beginning, createStream: true);
        await db.StreamAddAsync(stream, "payload", "x");
        var entry = await DeadLetterWriterTests.ReadPendingAsync(db, stream, group);
        var writer = new DeadLetterWriter(stream, group, deadLetters, TimeSpan.FromDays(1));

        // No separate XACK is sent, so a database that would fail one changes nothing.
        var written = await writer.WriteAsync(
            CrashBeforeAckDatabase.Wrap(db), entry, DeadLetterWriterTests.Record(stream, group, entry.Id));

        Assert.True(written.Written);
        Assert.Equal(0, (await db.StreamPendingAsync(stream, group)).PendingMessageCount);
    }
}
