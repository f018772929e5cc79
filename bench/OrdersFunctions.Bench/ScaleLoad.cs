using System.Diagnostics;
using System.Globalization;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.Bench;

/// <summary>
/// The stream the ops_at_scale phase reads: grown in steps to each size, with a quarter as many dead letters, 50
/// groups (30 at the start of the stream, each with 100 entries pending on one consumer, so Redis reports their lag;
/// 20 created at an entry in the middle of the first step, where Redis keeps no counter: a nil lag) and 200 consumers
/// (4 per group). Entries are the publisher's envelope, added by a script in batches of <see cref="Batch"/> (a few
/// hundred thousand a second, memory-bounded); dead letters are written by the engine's <see cref="DeadLetterWriter"/>
/// (dead letter, per-group count and (group, entry) key in one script), so the counts are what the app would have.
/// </summary>
internal sealed class ScaleLoad
{
    public const int ReportingGroups = 30;
    public const int NilLagGroups = 20;
    public const int ConsumersPerGroup = 4;
    private const int Batch = 1_000;
    private const int DeadLettersInFlight = 2_000;

    // Adds ARGV[1] envelope entries; returns the id of every 4th (the ones that get a dead letter).
    private const string AddEntries = """
        local ids = {}
        for i = 1, tonumber(ARGV[1]) do
          local id = redis.call('XADD', KEYS[1], '*', 'message_id', ARGV[2] .. i, 'type', 'OrderPlaced',
            'payload', ARGV[3], 'headers', '{}', 'published_at', ARGV[4])
          if i % 4 == 0 then ids[#ids + 1] = id end
        end
        return ids
        """;

    private readonly IDatabase _db;
    private readonly DeadLetterWriter[] _writers;
    private readonly RedisResult[] _fields;
    private readonly string _publishedAt = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
    private readonly bool _groupsAndDeadLetters;
    private bool _groupsCreated;

    /// <param name="db">Where to write.</param>
    /// <param name="stream">The stream to grow.</param>
    /// <param name="groupsAndDeadLetters">False: entries only (the retention and sweep parts bring their own groups).
    /// </param>
    public ScaleLoad(IDatabase db, string stream, bool groupsAndDeadLetters = true)
    {
        _db = db;
        _groupsAndDeadLetters = groupsAndDeadLetters;
        Stream = stream;
        Groups = Enumerable.Range(0, ReportingGroups).Select(i => $"g{i:00}")
            .Concat(Enumerable.Range(0, NilLagGroups).Select(i => $"n{i:00}")).ToArray();
        // Kept 10 minutes: the (group, entry) keys expire soon after the bench, also in a Redis given with --redis.
        _writers = Groups.Select(g => new DeadLetterWriter(stream, g, DeadLetterStream, TimeSpan.FromMinutes(10)))
            .ToArray();
        _fields =
        [
            RedisResult.Create((RedisValue)StreamEnvelope.MessageId), RedisResult.Create((RedisValue)"bench"),
            RedisResult.Create((RedisValue)StreamEnvelope.Type), RedisResult.Create((RedisValue)"OrderPlaced"),
            RedisResult.Create((RedisValue)StreamEnvelope.Payload), RedisResult.Create((RedisValue)Phases.Payload),
            RedisResult.Create((RedisValue)StreamEnvelope.Headers), RedisResult.Create((RedisValue)"{}"),
            RedisResult.Create((RedisValue)StreamEnvelope.PublishedAt), RedisResult.Create((RedisValue)_publishedAt),
        ];
    }

    public string Stream { get; }

    public string DeadLetterStream => Stream + ":dead-letter";

    /// <summary>g00…g29 (Redis reports their lag), then n00…n19 (nil lag).</summary>
    public IReadOnlyList<string> Groups { get; }

    public long Entries { get; private set; }

    public long DeadLetters { get; private set; }

    /// <summary>Adds entries (and a dead letter for every 4th) until the stream holds <paramref name="size"/>.
    /// </summary>
    public async Task GrowToAsync(long size)
    {
        var clock = Stopwatch.StartNew();
        var pendingWrites = new List<Task>(DeadLettersInFlight);
        var nextReport = TimeSpan.FromSeconds(5);
        while (Entries < size)
        {
            var count = (int)Math.Min(Batch, size - Entries);
            var ids = (RedisResult[])(await _db.ScriptEvaluateAsync(AddEntries, [Stream],
                [count, $"bench-{Entries}-", Phases.Payload, _publishedAt]))!;
            Entries += count;
            if (!_groupsAndDeadLetters)
                continue;
            if (!_groupsCreated)
                await CreateGroupsAsync();
            foreach (var id in ids)
            {
                var group = (int)(DeadLetters % _writers.Length);
                var entryId = (string)id!;
                pendingWrites.Add(_writers[group].WriteAsync(_db, new RawEntry(entryId, _fields),
                    new DeadLetterRecord("", entryId, Stream, Groups[group], "c0", 5,
                        "System.InvalidOperationException", "The handler failed (bench).", DateTimeOffset.UtcNow)));
                DeadLetters++;
                if (pendingWrites.Count >= DeadLettersInFlight)
                {
                    await Task.WhenAll(pendingWrites);
                    pendingWrites.Clear();
                }
            }
            if (clock.Elapsed >= nextReport)
            {
                // Progress, so a 2M load that takes a while shows it is moving.
                Console.WriteLine(
                    $"  loading: {Entries:N0} entries, {DeadLetters:N0} dead letters " +
                    $"({clock.Elapsed.TotalSeconds:0} s)");
                nextReport += TimeSpan.FromSeconds(5);
            }
        }
        await Task.WhenAll(pendingWrites);
    }

    /// <summary>Once the stream holds its first batch: the 50 groups and their 200 consumers.</summary>
    private async Task CreateGroupsAsync()
    {
        _groupsCreated = true;
        var firstHalf = await _db.ExecuteAsync("XRANGE", Stream, "-", "+", "COUNT", Batch / 2);
        var middle = StreamReplies.ParseEntries(firstHalf)[^1].Id;
        foreach (var group in Groups)
        {
            // XGROUP CREATE at an id inside the stream: Redis has no entries-read for it, so it answers a nil lag.
            await _db.StreamCreateConsumerGroupAsync(Stream, group, group.StartsWith('n') ? middle : "0-0");
            for (var c = 0; c < ConsumersPerGroup; c++)
                await _db.ExecuteAsync("XGROUP", "CREATECONSUMER", Stream, group, $"{group}-c{c}");
            if (group.StartsWith('g'))
                await _db.StreamReadGroupAsync(Stream, group, $"{group}-c0", ">", 100);
        }
        _groupsCreated = true;
    }
}
