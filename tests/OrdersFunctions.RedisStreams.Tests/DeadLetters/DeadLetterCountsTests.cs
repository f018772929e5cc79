using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Retention;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using OrdersFunctions.RedisStreams.Tests.Operations;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests.DeadLetters;

/// <summary>The per-group dead-letter counts stay exact through every change to the dead letters, and are built once,
/// safely, for dead letters written before they existed.</summary>
[Collection(RedisCollection.Name)]
public sealed class DeadLetterCountsTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Counts_FollowWritesReplaysDiscardsAndTrims()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var (a, b) = (TestNames.Group("a"), TestNames.Group("b"));
        await world.StartGroupAsync(a, failing: true);
        await world.StartGroupAsync(b, failing: true);
        for (var i = 0; i < 4; i++)
            await world.PublishAsync(i);
        var ofA = await world.WaitForDeadLettersAsync(a, 4);
        await world.WaitForDeadLettersAsync(b, 4);
        var db = await world.DatabaseAsync();
        await AssertExactAsync(db, world.Stream, world.DeadLetterStream, (a, 4), (b, 4));

        world.Fail(a, false);
        await world.Store().ReplayAsync(world.DeadLetterStream, ofA[0].Id);
        await world.Store().DiscardAsync(world.DeadLetterStream, ofA[1].Id);
        await AssertExactAsync(db, world.Stream, world.DeadLetterStream, (a, 2), (b, 4));

        await Task.Delay(20);
        await new StreamRetention(world.Connections).TrimAsync(world.Stream, world.DeadLetterStream,
            new RetentionPolicy(TimeSpan.FromDays(1), DeadLetterMaxAge: TimeSpan.FromMilliseconds(1)));
        await AssertExactAsync(db, world.Stream, world.DeadLetterStream, (a, 0), (b, 0));
        Assert.Equal(0, await db.StreamLengthAsync(world.DeadLetterStream));
    }

    [Fact]
    public async Task AStreamWithoutDeadLetters_HasExactCountsOfZero_OnceChecked()
    {
        var db = (await redis.GetConnectionAsync()).GetDatabase();
        var deadLetters = TestNames.Stream() + ":dead-letter";

        await DeadLetterCounts.EnsureCompleteAsync(db, deadLetters, TimeSpan.FromDays(1));

        var counts = await DeadLetterCounts.ReadAsync(db, deadLetters);
        Assert.True(counts.Exact);
        Assert.Empty(counts.ByField);
    }

    [Fact]
    public async Task DeadLettersWrittenBeforeTheCountsExisted_AreCountedOnce_WhileOthersAreWrittenAndDiscarded()
    {
        var db = (await redis.GetConnectionAsync()).GetDatabase();
        var stream = TestNames.Stream();
        var deadLetters = stream + ":dead-letter";
        var groups = new[] { "notifications", "spreadsheets", "audit" };
        // 3,000 dead letters as the previous version wrote them: the fields only, no counts, no keys.
        var batch = db.CreateBatch();
        var legacy = new List<Task<RedisValue>>();
        for (var i = 0; i < 3_000; i++)
            legacy.Add(batch.StreamAddAsync(deadLetters, LegacyFields(stream, groups[i % 3], $"{i + 1}-0")));
        batch.Execute();
        var legacyIds = (await Task.WhenAll(legacy)).Select(id => (string)id!).ToList();
        Assert.False((await DeadLetterCounts.ReadAsync(db, deadLetters)).Exact);

        // The count begins and takes its first step (the first 500 old ones)...
        var keys = DeadLetterCounts.Keys(deadLetters);
        await db.ScriptEvaluateAsync(DeadLetterCountScripts.Begin, keys);
        await db.ScriptEvaluateAsync(
            DeadLetterCountScripts.Step, keys, [DeadLetterCounts.StepSize, StreamKeys.SlotPrefix(deadLetters), 60_000]);
        // ...then, before it goes on: new dead letters are written, and old ones counted and not yet counted are
        // discarded, as are some of the new ones.
        var store = new DeadLetterStore(new RedisConnectionFactory(redis.ConnectionString));
        var writer = new DeadLetterWriter(stream, "notifications", deadLetters, TimeSpan.FromDays(1));
        await db.StreamCreateConsumerGroupAsync(stream, "notifications", StreamPosition.Beginning, createStream: true);
        for (var i = 0; i < 20; i++)
        {
            await db.StreamAddAsync(stream, "payload", i);
            var entry = await DeadLetterWriterTests.ReadPendingAsync(db, stream, "notifications");
            var written = await writer.WriteAsync(
                db, entry, DeadLetterWriterTests.Record(stream, "notifications", entry.Id));
            await store.DiscardAsync(deadLetters, legacyIds[i * 149]);
            if (i % 4 == 0)
                await store.DiscardAsync(deadLetters, written.DeadLetterId);
        }
        await DeadLetterCounts.EnsureCompleteAsync(db, deadLetters, TimeSpan.FromDays(1));

        await AssertExactAsync(db, stream, deadLetters, groups.Select(g => (g, -1L)).ToArray());
    }

    [Fact]
    public async Task Reset_CountsAgainFromTheStream()
    {
        var db = (await redis.GetConnectionAsync()).GetDatabase();
        var stream = TestNames.Stream();
        var deadLetters = stream + ":dead-letter";
        await DeadLetterCounts.EnsureCompleteAsync(db, deadLetters, TimeSpan.FromDays(1));
        for (var i = 0; i < 5; i++)
            await db.StreamAddAsync(deadLetters, LegacyFields(stream, "g", $"{i + 1}-0"));
        Assert.Equal(0, (await DeadLetterCounts.ReadAsync(db, deadLetters)).For(stream, "g")); // added behind its back

        await DeadLetterCounts.ResetAsync(db, deadLetters);
        await DeadLetterCounts.EnsureCompleteAsync(db, deadLetters, TimeSpan.FromDays(1));

        await AssertExactAsync(db, stream, deadLetters, ("g", 5));
    }

    [Fact]
    public async Task TheCount_AddsTheKeyThatFindsAnOldDeadLetterByItsEntry()
    {
        var db = (await redis.GetConnectionAsync()).GetDatabase();
        var stream = TestNames.Stream();
        var deadLetters = stream + ":dead-letter";
        var id = (string)(await db.StreamAddAsync(deadLetters, LegacyFields(stream, "g", "42-0")))!;

        await DeadLetterCounts.EnsureCompleteAsync(db, deadLetters, TimeSpan.FromDays(1));

        Assert.Equal(id, (string?)await db.StringGetAsync(DeadLetterKeys.Written(deadLetters, "g", "42-0")));
    }

    private static NameValueEntry[] LegacyFields(string stream, string group, string originalId) =>
    [
        new(DeadLetterFields.OriginalId, originalId),
        new(DeadLetterFields.Stream, stream),
        new(DeadLetterFields.Group, group),
        new(DeadLetterFields.Consumer, "old-1"),
        new(DeadLetterFields.DeliveryCount, 5),
        new(DeadLetterFields.ErrorType, "System.InvalidOperationException"),
        new(DeadLetterFields.ErrorMessage, "boom"),
        new(DeadLetterFields.FailedAt, "2026-12-01T00:00:00.0000000Z"),
        new("message_id", originalId),
        new("payload", "{}"),
    ];

    /// <summary>The counts are exact and equal what a scan of the dead-letter stream finds per group (an expected
    /// count of -1 means "whatever the scan finds").</summary>
    private static async Task AssertExactAsync(
        IDatabase db, string stream, string deadLetters, params (string Group, long Expected)[] groups)
    {
        var scanned = (await db.StreamRangeAsync(deadLetters))
            .Select(e => (string?)e.Values.FirstOrDefault(v => v.Name == DeadLetterFields.Group).Value)
            .GroupBy(g => g!)
            .ToDictionary(g => g.Key, g => (long)g.Count());
        var counts = await DeadLetterCounts.ReadAsync(db, deadLetters);
        Assert.True(counts.Exact, "the counts are not complete");
        foreach (var (group, expected) in groups)
        {
            var actual = scanned.GetValueOrDefault(group);
            if (expected >= 0)
                Assert.Equal(expected, actual);
            Assert.True(
                actual == counts.For(stream, group),
                $"group {group}: the stream holds {actual}, the counts say {counts.For(stream, group)}");
        }
    }
}
