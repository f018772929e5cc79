using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests.Overview;

/// <summary>
/// A stream built for the overview's cost tests: <c>entries</c> entries, one of them (150 from the end) deleted;
/// group <see cref="Reading"/> has read to the end, the last 99 pending on consumer "c1" (Redis reports its lag, 0);
/// group <see cref="Deleted"/> read and acknowledged 10 (the deletion after its position makes Redis answer a nil lag,
/// its counters still tell); group <see cref="Middle"/> was created at an entry in the middle (a nil lag, no counters);
/// and <c>deadLetters</c> dead letters written by the engine's writer, spread over the three groups in turn.
/// </summary>
internal sealed record StreamWorld(string Stream, string Reading, string Deleted, string Middle,
    IReadOnlyDictionary<string, long> DeadLettersByGroup)
{
    public string DeadLetterStream => Stream + ":dead-letter";

    public static async Task<StreamWorld> BuildAsync(IDatabase db, int entries, int deadLetters)
    {
        var stream = TestNames.Stream();
        var ids = await AddEntriesAsync(db, stream, entries);
        var (reading, deleted, middle) =
            (TestNames.Group("reading"), TestNames.Group("deleted"), TestNames.Group("middle"));
        await db.StreamCreateConsumerGroupAsync(stream, reading, "0-0");
        await db.StreamCreateConsumerGroupAsync(stream, deleted, "0-0");
        await db.StreamCreateConsumerGroupAsync(stream, middle, ids[entries / 2]);
        // Read before the deletion: its counter stays valid (reading past a deletion would make Redis 7.0 drop it).
        var read = await db.StreamReadGroupAsync(stream, deleted, "c2", ">", 10);
        await db.StreamAcknowledgeAsync(stream, deleted, read.Select(e => e.Id).ToArray());
        await db.StreamDeleteAsync(stream, [ids[entries - 150]]);
        // Past the deletion to the end, so Redis can tell this group's lag again; only the last 99 stay pending.
        await db.StreamReadGroupAsync(stream, reading, "c1", ">", entries - 100, noAck: true);
        await db.StreamReadGroupAsync(stream, reading, "c1", ">", 1_000);

        var groups = new[] { reading, deleted, middle };
        var byGroup = groups.ToDictionary(g => g, _ => 0L);
        var writers = groups.Select(g => new DeadLetterWriter(stream, g, stream + ":dead-letter", TimeSpan.FromDays(1)))
            .ToArray();
        var writes = new List<Task>(deadLetters);
        for (var i = 0; i < deadLetters; i++)
        {
            var group = i % groups.Length;
            byGroup[groups[group]]++;
            var id = ids[i % entries];
            var entry = new RawEntry(id, [RedisResult.Create((RedisValue)"n"), RedisResult.Create((RedisValue)i)]);
            writes.Add(writers[group].WriteAsync(db, entry,
                new DeadLetterRecord("", id, stream, groups[group], "c", 5, "E", "failed", null)));
            if (writes.Count == 1_000)
            {
                await Task.WhenAll(writes);
                writes.Clear();
            }
        }
        await Task.WhenAll(writes);
        return new StreamWorld(stream, reading, deleted, middle, byGroup);
    }

    /// <summary>Pipelined XADDs; returns the ids in order.</summary>
    public static async Task<string[]> AddEntriesAsync(IDatabase db, string stream, int entries)
    {
        var ids = new string[entries];
        for (var start = 0; start < entries; start += 1_000)
        {
            var batch = Enumerable.Range(start, Math.Min(1_000, entries - start))
                .Select(i => db.StreamAddAsync(stream, [new("n", i), new("payload", "an order of fifty bytes or so")]))
                .ToArray();
            var added = await Task.WhenAll(batch);
            for (var i = 0; i < added.Length; i++)
                ids[start + i] = (string)added[i]!;
        }
        return ids;
    }
}
