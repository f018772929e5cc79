using System.Collections.Concurrent;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>
/// The number of dead letters per (source stream, group) in a dead-letter stream, kept in a hash next to it
/// (<see cref="DeadLetterKeys.Counts"/>) so that reading them costs O(groups), never a scan of the dead letters.
/// <list type="bullet">
/// <item>Exact: every script that adds or removes a dead letter (write, replay, discard, retention's trim) changes the
/// count in the same atomic step.</item>
/// <item>Upgrade: a dead-letter stream that holds dead letters written before the counts existed is counted once, in
/// bounded steps (<see cref="StepSize"/> dead letters a step, a short pause between steps), up to the newest dead
/// letter at the start (the boundary); writers count everything after it, and a removal counts out only what the
/// counts include. Until then <see cref="DeadLetterCountsReading.Exact"/> is false. Any number of processes may count
/// at once: each step advances the shared cursor atomically.</item>
/// <item>An operator who deleted dead letters by hand (XDEL, XTRIM) recounts with <see cref="ResetAsync"/>.</item>
/// </list>
/// </summary>
public static class DeadLetterCounts
{
    /// <summary>Dead letters one counting or trimming step reads at most: about a millisecond of Redis time (a dead
    /// letter carries its entry's fields; 500 a step took 4-6 ms, docs/operations.md "At scale").</summary>
    public const int StepSize = 100;

    // Between counting steps, so a large upgrade count leaves Redis to everyone else most of the time.
    private static readonly TimeSpan StepPause = TimeSpan.FromMilliseconds(5);

    // One count at a time per dead-letter stream in this process; others wait for it.
    private static readonly ConcurrentDictionary<string, Task> Builds = new(StringComparer.Ordinal);

    /// <summary>The counts as stored now, and whether they are complete.</summary>
    public static async Task<DeadLetterCountsReading> ReadAsync(IDatabaseAsync database, string deadLetterStream,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        var countsTask = database.HashGetAllAsync(DeadLetterKeys.Counts(deadLetterStream));
        var doneTask = database.HashGetAsync(DeadLetterKeys.CountsState(deadLetterStream), "done");
        var counts = await countsTask.WaitAsync(cancellationToken).ConfigureAwait(false);
        var done = await doneTask.WaitAsync(cancellationToken).ConfigureAwait(false);
        var byField = new Dictionary<string, long>(counts.Length, StringComparer.Ordinal);
        foreach (var entry in counts)
        {
            if (entry.Value.TryParse(out long count) && count > 0)
                byField[entry.Name!] = count;
        }
        return new DeadLetterCountsReading(done == "1", byField);
    }

    /// <summary>
    /// Makes the counts complete: starts the one-time count when it never ran and takes it to its end. Returns at once
    /// when they are. <paramref name="writtenKeysTtl"/> is how long the (group, original id) keys it adds for old dead
    /// letters live: the dead letters' retention.
    /// </summary>
    public static async Task EnsureCompleteAsync(IDatabase database, string deadLetterStream, TimeSpan writtenKeysTtl,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        // Shared by every caller in this process, so it runs on no caller's token; each caller waits on its own.
        var count = Builds.GetOrAdd(deadLetterStream, _ => CountAsync(database, deadLetterStream, writtenKeysTtl));
        try
        {
            await count.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (count.IsCompleted)
                Builds.TryRemove(new KeyValuePair<string, Task>(deadLetterStream, count));
        }
    }

    /// <summary>Forgets the counts; the next <see cref="EnsureCompleteAsync"/> counts the stream again.</summary>
    public static async Task ResetAsync(IDatabaseAsync database, string deadLetterStream,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.ScriptEvaluateAsync(DeadLetterCountScripts.Reset, Keys(deadLetterStream))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes the dead letters older than <paramref name="cutoffId"/> (exclusive), counting each out, in steps of
    /// <see cref="StepSize"/>; at most <paramref name="maxSteps"/> steps. Returns how many it removed.
    /// </summary>
    public static async Task<long> TrimOlderThanAsync(IDatabaseAsync database, string deadLetterStream, string cutoffId,
        int maxSteps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        var keys = Keys(deadLetterStream);
        long removed = 0;
        for (var step = 0; step < maxSteps; step++)
        {
            var count = (long)await database
                .ScriptEvaluateAsync(DeadLetterCountScripts.TrimOldest, keys, [cutoffId, StepSize])
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            removed += count;
            if (count < StepSize)
                break;
        }
        return removed;
    }

    internal static RedisKey[] Keys(string deadLetterStream) =>
        [deadLetterStream, DeadLetterKeys.Counts(deadLetterStream), DeadLetterKeys.CountsState(deadLetterStream)];

    private static async Task CountAsync(IDatabase database, string deadLetterStream, TimeSpan writtenKeysTtl)
    {
        var keys = Keys(deadLetterStream);
        var done = (string?)await database.ScriptEvaluateAsync(DeadLetterCountScripts.Begin, keys)
            .ConfigureAwait(false);
        var prefix = Redis.StreamKeys.SlotPrefix(deadLetterStream);
        var ttl = (long)writtenKeysTtl.TotalMilliseconds;
        while (done != "1")
        {
            var reply = (RedisResult[])(await database
                .ScriptEvaluateAsync(DeadLetterCountScripts.Step, keys, [StepSize, prefix, ttl])
                .ConfigureAwait(false))!;
            done = (string?)reply[0];
            if (done == "missing")
            {
                // Reset meanwhile: begin again.
                done = (string?)await database.ScriptEvaluateAsync(DeadLetterCountScripts.Begin, keys)
                    .ConfigureAwait(false);
                continue;
            }
            if (done != "1")
                await Task.Delay(StepPause).ConfigureAwait(false);
        }
    }
}

/// <summary>Dead letters per (source stream, group), as stored.</summary>
/// <param name="Exact">False while dead letters written before the counts existed are still being counted.</param>
/// <param name="ByField">By <see cref="DeadLetterKeys.CountField"/>; groups with none are absent.</param>
public sealed record DeadLetterCountsReading(bool Exact, IReadOnlyDictionary<string, long> ByField)
{
    /// <summary>The dead letters of <paramref name="group"/> of <paramref name="stream"/> (0 when none).</summary>
    public long For(string stream, string group) => ByField.GetValueOrDefault(DeadLetterKeys.CountField(stream, group));
}
