using System.Globalization;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>
/// Lists, shows, replays and discards dead letters (entries the subscriber gave up on, see
/// <see cref="DeadLetterFields"/>).
/// <list type="bullet">
/// <item>A replay writes the original envelope back to the source stream with <see cref="ReplayFields"/> naming the
/// group that gave up, so only that group's subscribers handle it (the others acknowledge it unseen).</item>
/// <item>A dead letter is replayed or discarded once: a script on the dead-letter slot records the outcome under
/// <see cref="DeadLetterKeys.Outcome"/> only if none is recorded yet, before anything else happens.</item>
/// <item>A message replayed <see cref="DeadLetterStoreOptions.ReplayCap"/> times is replayed again only when
/// forced.</item>
/// </list>
/// Thread-safe; uses the shared connection; reads Redis on every call (nothing cached).
/// </summary>
public sealed class DeadLetterStore
{
    private const int ScanBatch = 500;
    private const int MaxBulkScan = 1_000_000;

    // Dead-letter ids come from the dead-letter node's clock and failed_at from the subscriber's: widen id ranges built
    // from a time filter by this much, then filter on failed_at exactly.
    private static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(1);

    private readonly IRedisConnectionFactory _connections;
    private readonly DeadLetterStoreOptions _options;
    private readonly TimeProvider _time;

    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid (all are
    /// listed).</exception>
    public DeadLetterStore(IRedisConnectionFactory connections, DeadLetterStoreOptions? options = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connections);
        var copy = (options ?? new DeadLetterStoreOptions()).Clone();
        DeadLetterStoreOptionsValidator.ThrowIfInvalid(copy);
        _connections = connections;
        _options = copy;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The replay cap in force.</summary>
    public int ReplayCap => _options.ReplayCap;

    /// <summary>How long outcomes (and the keys that find a dead letter by its entry) are kept.</summary>
    public TimeSpan OutcomeRetention => _options.OutcomeRetention;

    /// <summary>A page of matching dead letters, oldest first; reads at most
    /// <see cref="DeadLetterStoreOptions.MaxScanPerPage"/> dead letters.</summary>
    /// <exception cref="ArgumentException">A limit outside 1–500 or an <c>after</c> that is not an entry
    /// id.</exception>
    public async Task<DeadLetterPage> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > DeadLetterQuery.MaxLimit)
            throw new ArgumentException($"The limit {query.Limit} is outside 1–{DeadLetterQuery.MaxLimit}.",
                nameof(query));
        var items = new List<DeadLetter>(Math.Min(query.Limit, 64));
        string? next = null;
        await foreach (var (deadLetter, scannedAll) in ScanAsync(query, _options.MaxScanPerPage, cancellationToken)
            .ConfigureAwait(false))
        {
            if (deadLetter is null)
            {
                // The scan budget ran out (or the range ended): continue from the last id read, if there may be more.
                next = scannedAll;
                break;
            }
            items.Add(deadLetter);
            if (items.Count == query.Limit)
            {
                next = deadLetter.Id;
                break;
            }
        }
        return new DeadLetterPage(items, next);
    }

    /// <summary>The dead letter with this id in <paramref name="deadLetterStream"/>, or null.</summary>
    public async Task<DeadLetter?> GetAsync(string deadLetterStream, string id,
        CancellationToken cancellationToken = default)
    {
        RequireStream(deadLetterStream);
        if (!StreamIds.IsEntryId(id))
            return null;
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var entries = RawEntry.From(await database.StreamRangeAsync(deadLetterStream, id, id)
            .WaitAsync(cancellationToken).ConfigureAwait(false));
        return entries.Length == 0 ? null : DeadLetter.TryRead(entries[0]);
    }

    /// <summary>
    /// Writes the dead letter's original message back to its source stream for its group only, once. Steps: record
    /// 'replaying' (refused if an outcome exists), XADD to the source stream, record 'replayed &lt;newId&gt;' and
    /// delete the dead letter. If the process dies after the XADD the dead letter stays, marked replaying; a forced
    /// replay may take it over after <see cref="DeadLetterStoreOptions.StaleReplayAfter"/>. <c>force</c> replays past
    /// the replay cap and takes over a stale 'replaying'.
    /// </summary>
    public async Task<DeadLetterActionResult> ReplayAsync(string deadLetterStream, string id, bool force = false,
        CancellationToken cancellationToken = default)
    {
        RequireStream(deadLetterStream);
        var deadLetter = await GetAsync(deadLetterStream, id, cancellationToken).ConfigureAwait(false);
        if (deadLetter is null)
            return await MissingAsync(deadLetterStream, id, cancellationToken).ConfigureAwait(false);
        var record = deadLetter.Record;
        if (deadLetter.Replays >= _options.ReplayCap && !force)
            return new DeadLetterActionResult(DeadLetterActionStatus.ReplayCapReached, id, record.Group,
                Replays: deadLetter.Replays);

        if (string.IsNullOrEmpty(record.Stream))
            return new DeadLetterActionResult(DeadLetterActionStatus.NoSourceStream, id, record.Group,
                Replays: deadLetter.Replays);

        var keys = Keys(deadLetterStream, record.Group, record.OriginalId, id);
        var marker = DeadLetterOutcome.Replaying(_time.GetUtcNow());
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var guard = await GuardAsync(database, DeadLetterScripts.BeginReplay, keys, id, marker, force,
            cancellationToken).ConfigureAwait(false);
        if (guard is not null)
            return guard with { Group = record.Group };

        var replays = deadLetter.Replays + 1;
        var fields = deadLetter.EnvelopeFields
            .Select(f => new NameValueEntry(f.Name, f.Value))
            .Append(new NameValueEntry(ReplayFields.Group, record.Group))
            .Append(new NameValueEntry(ReplayFields.Of, record.OriginalId))
            .Append(new NameValueEntry(ReplayFields.Replays, replays))
            .ToArray();
        string newEntryId;
        try
        {
            // Not cancellable: once the XADD is sent the caller giving up cannot unsend it, and we must learn its id.
            newEntryId = (string)(await database.StreamAddAsync(record.Stream, fields).ConfigureAwait(false))!;
        }
        catch (RedisServerException)
        {
            // Redis answered with an error: nothing was written, so give the dead letter back for another replay.
            await database.ScriptEvaluateAsync(DeadLetterScripts.AbandonReplay, keys, [marker]).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // A timeout or dropped connection: the XADD may be in the stream. Keep 'replaying' so nobody replays it
            // again unknowingly; an operator checks the stream, then forces after the stale period.
            return new DeadLetterActionResult(DeadLetterActionStatus.OutcomeUnknown, id, record.Group,
                Replays: deadLetter.Replays);
        }
        // Not cancellable: the new entry exists, so its outcome must be recorded - unless a forced replay took the
        // marker over meanwhile: then the outcome is that replay's, and ours must not overwrite it.
        await database.ScriptEvaluateAsync(DeadLetterScripts.FinishReplay, keys,
            [id, RetentionMs, DeadLetterOutcome.Replayed(newEntryId), marker]).ConfigureAwait(false);
        return new DeadLetterActionResult(DeadLetterActionStatus.Replayed, id, record.Group, newEntryId, replays);
    }

    /// <summary>Removes the dead letter and records 'discarded' for its group and original id, once. <c>force</c> takes
    /// over a stale 'replaying' (see <see cref="ReplayAsync"/>).</summary>
    public async Task<DeadLetterActionResult> DiscardAsync(string deadLetterStream, string id, bool force = false,
        CancellationToken cancellationToken = default)
    {
        RequireStream(deadLetterStream);
        var deadLetter = await GetAsync(deadLetterStream, id, cancellationToken).ConfigureAwait(false);
        if (deadLetter is null)
            return await MissingAsync(deadLetterStream, id, cancellationToken).ConfigureAwait(false);
        var record = deadLetter.Record;
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var keys = Keys(deadLetterStream, record.Group, record.OriginalId, id);
        var guard = await GuardAsync(database, DeadLetterScripts.Discard, keys, id, DeadLetterOutcome.DiscardedValue,
            force, cancellationToken).ConfigureAwait(false);
        return guard is not null
            ? guard with { Group = record.Group }
            : new DeadLetterActionResult(DeadLetterActionStatus.Discarded, id, record.Group,
                Replays: deadLetter.Replays);
    }

    /// <summary>Replays every dead letter the query matches (its limit and cursor are ignored), or with
    /// <paramref name="dryRun"/> only counts them. Each one goes through <see cref="ReplayAsync"/>.</summary>
    public Task<DeadLetterBulkResult> ReplayMatchingAsync(DeadLetterQuery query, bool dryRun, bool force = false,
        CancellationToken cancellationToken = default) =>
        ForEachMatchingAsync(query, dryRun, id => ReplayAsync(query.DeadLetterStream, id, force, cancellationToken),
            cancellationToken);

    /// <summary>Discards every dead letter the query matches, or with <paramref name="dryRun"/> only counts
    /// them.</summary>
    public Task<DeadLetterBulkResult> DiscardMatchingAsync(DeadLetterQuery query, bool dryRun, bool force = false,
        CancellationToken cancellationToken = default) =>
        ForEachMatchingAsync(query, dryRun, id => DiscardAsync(query.DeadLetterStream, id, force, cancellationToken),
            cancellationToken);

    /// <summary>The recorded outcome of the dead letter of <paramref name="originalId"/> in <paramref name="group"/>,
    /// or null.</summary>
    public async Task<DeadLetterOutcome?> GetOutcomeAsync(string deadLetterStream, string group, string originalId,
        CancellationToken cancellationToken = default)
    {
        RequireStream(deadLetterStream);
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var value = await database.StringGetAsync(DeadLetterKeys.Outcome(deadLetterStream, group, originalId))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return DeadLetterOutcome.Parse(value);
    }

    private async Task<DeadLetterBulkResult> ForEachMatchingAsync(DeadLetterQuery query, bool dryRun,
        Func<string, Task<DeadLetterActionResult>> act, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        // Collect the ids first: acting deletes dead letters, which must not shift the scan.
        var ids = new List<string>();
        await foreach (var (deadLetter, _) in ScanAsync(query with { After = null }, MaxBulkScan, cancellationToken)
            .ConfigureAwait(false))
        {
            if (deadLetter is not null)
                ids.Add(deadLetter.Id);
        }
        if (dryRun)
            return new DeadLetterBulkResult(ids.Count, DryRun: true);
        int replayed = 0, discarded = 0, skipped = 0;
        foreach (var id in ids)
        {
            var result = await act(id).ConfigureAwait(false);
            switch (result.Status)
            {
                case DeadLetterActionStatus.Replayed: replayed++; break;
                case DeadLetterActionStatus.Discarded: discarded++; break;
                default: skipped++; break;
            }
        }
        return new DeadLetterBulkResult(ids.Count, DryRun: false, replayed, discarded, skipped);
    }

    /// <summary>
    /// Yields matching dead letters in id order; ends with (null, cursor) when it stopped at the scan budget with more
    /// to read (cursor = last id read), and simply ends when the range is exhausted.
    /// </summary>
    private async IAsyncEnumerable<(DeadLetter? DeadLetter, string? Cursor)> ScanAsync(DeadLetterQuery query,
        int maxScan, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RequireStream(query.DeadLetterStream);
        if (query.After is not null && !StreamIds.IsEntryId(query.After))
            throw new ArgumentException(
                $"The cursor '{query.After}' is not a dead-letter id: pass the 'next' of the previous page.",
                nameof(query));
        var start = query.From is { } from ? IdAt(Shift(from, -ClockSkewAllowance)) : "-";
        if (query.After is not null && (start == "-" || StreamReplies.CompareIds(query.After, start) >= 0))
            start = "(" + query.After;
        var end = query.To is { } to ? IdAt(Shift(to, ClockSkewAllowance), last: true) : "+";
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var scanned = 0;
        while (true)
        {
            var batch = Math.Min(ScanBatch, maxScan - scanned);
            var entries = RawEntry.From(await database.StreamRangeAsync(query.DeadLetterStream, start, end, batch)
                .WaitAsync(cancellationToken).ConfigureAwait(false));
            foreach (var entry in entries)
            {
                var deadLetter = DeadLetter.TryRead(entry);
                if (deadLetter is not null && query.Matches(deadLetter))
                    yield return (deadLetter, null);
            }
            scanned += entries.Length;
            if (entries.Length < batch)
                yield break;
            if (scanned >= maxScan)
            {
                yield return (null, entries[^1].Id);
                yield break;
            }
            start = "(" + entries[^1].Id;
        }
    }

    private async Task<DeadLetterActionResult?> GuardAsync(IDatabase database, string script, RedisKey[] keys,
        string id, string outcome, bool force, CancellationToken cancellationToken)
    {
        var staleBefore = (_time.GetUtcNow() - _options.StaleReplayAfter).ToUnixTimeMilliseconds();
        var reply = (RedisResult[])(await database.ScriptEvaluateAsync(script, keys,
                [id, RetentionMs, outcome, force ? "1" : "0", staleBefore])
            .WaitAsync(cancellationToken).ConfigureAwait(false))!;
        return (string?)reply[0] switch
        {
            "ok" => null,
            "conflict" => new DeadLetterActionResult(DeadLetterActionStatus.AlreadyHandled, id,
                Existing: DeadLetterOutcome.Parse((string?)reply[1])),
            _ => new DeadLetterActionResult(DeadLetterActionStatus.NotFound, id),
        };
    }

    /// <summary>Not in the stream: either never there (404) or replayed/discarded already (conflict).</summary>
    private async Task<DeadLetterActionResult> MissingAsync(string deadLetterStream, string id,
        CancellationToken cancellationToken)
    {
        if (!StreamIds.IsEntryId(id))
            return new DeadLetterActionResult(DeadLetterActionStatus.NotFound, id);
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var outcomeKey = (string?)await database.StringGetAsync(DeadLetterKeys.Handled(deadLetterStream, id))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        if (outcomeKey is null)
            return new DeadLetterActionResult(DeadLetterActionStatus.NotFound, id);
        var outcome = DeadLetterOutcome.Parse(await database.StringGetAsync(outcomeKey)
            .WaitAsync(cancellationToken).ConfigureAwait(false));
        var group = GroupOfOutcomeKey(deadLetterStream, outcomeKey);
        return outcome is null
            ? new DeadLetterActionResult(DeadLetterActionStatus.NotFound, id)
            : new DeadLetterActionResult(DeadLetterActionStatus.AlreadyHandled, id, group, Existing: outcome);
    }

    private static string? GroupOfOutcomeKey(string deadLetterStream, string outcomeKey)
    {
        var prefix = StreamKeys.SlotPrefix(deadLetterStream) + "outcome:";
        if (!outcomeKey.StartsWith(prefix, StringComparison.Ordinal))
            return null;
        var rest = outcomeKey[prefix.Length..];
        var lastColon = rest.LastIndexOf(':');
        return lastColon > 0 ? rest[..lastColon] : null;
    }

    private static RedisKey[] Keys(string deadLetterStream, string group, string originalId, string id) =>
    [
        DeadLetterKeys.Outcome(deadLetterStream, group, originalId),
        deadLetterStream,
        DeadLetterKeys.Handled(deadLetterStream, id),
        DeadLetterKeys.Counts(deadLetterStream),
        DeadLetterKeys.CountsState(deadLetterStream),
    ];

    private long RetentionMs => (long)_options.OutcomeRetention.TotalMilliseconds;

    /// <summary><paramref name="time"/> moved by <paramref name="by"/>, held at the first or last representable time
    /// instead of overflowing (a filter of 0001-01-01 or 9999-12-31 is valid: it means "from the start", "to the
    /// end").</summary>
    private static DateTimeOffset Shift(DateTimeOffset time, TimeSpan by)
    {
        var utc = time.ToUniversalTime();
        if (by < TimeSpan.Zero)
            return utc - DateTimeOffset.MinValue < -by ? DateTimeOffset.MinValue : utc + by;
        return DateTimeOffset.MaxValue - utc < by ? DateTimeOffset.MaxValue : utc + by;
    }

    private static string IdAt(DateTimeOffset time, bool last = false)
    {
        var ms = Math.Max(0, time.ToUnixTimeMilliseconds()).ToString(CultureInfo.InvariantCulture);
        return last ? ms + "-18446744073709551615" : ms + "-0";
    }

    private async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken) =>
        (await _connections.GetSharedAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();

    private static void RequireStream(string deadLetterStream)
    {
        if (string.IsNullOrWhiteSpace(deadLetterStream))
            throw new ArgumentException(
                "The dead-letter stream name is empty: pass it, e.g. 'orders-placed:dead-letter'.",
                nameof(deadLetterStream));
    }
}
