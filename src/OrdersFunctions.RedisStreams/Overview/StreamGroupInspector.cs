using System.Globalization;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>
/// Reads a consumer group's state from Redis itself (nothing is cached): its backlog for scaling decisions, and where
/// one entry stands in the group for status endpoints. Read-only and thread-safe; uses the shared connection.
/// </summary>
public sealed class StreamGroupInspector
{
    private const int DeadLetterPageSize = 500;
    private const int MaxDeadLetterPages = 200;
    // Dead-letter ids come from the clock of the node that owns the dead-letter stream, which in a cluster may lag the
    // source node's clock a little; start the scan this much before the original entry.
    private static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(1);

    // A message is replayed at most ReplayCap times unless forced; this only bounds a forced chain.
    private const int MaxReplayHops = 32;

    private readonly IRedisConnectionFactory _connections;

    /// <summary>Creates an inspector over the factory's shared connection.</summary>
    public StreamGroupInspector(IRedisConnectionFactory connections)
    {
        ArgumentNullException.ThrowIfNull(connections);
        _connections = connections;
    }

    /// <summary>
    /// The group's counters from XINFO GROUPS and XLEN, or null when the stream or the group does not exist.
    /// <see cref="StreamGroupStatus.Lag"/> (entries not yet delivered to the group) needs Redis 7; it is null on older
    /// servers and when Redis cannot tell (after deletions in the range not yet read).
    /// </summary>
    public async Task<StreamGroupStatus?> GetGroupAsync(string stream, string group,
        CancellationToken cancellationToken = default)
    {
        RequireNames(stream, group);
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        StreamGroupInfo[] groups;
        try
        {
            groups = await database.StreamGroupInfoAsync(stream).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        foreach (var info in groups)
        {
            if (info.Name != group)
                continue;
            var length = await database.StreamLengthAsync(stream).WaitAsync(cancellationToken).ConfigureAwait(false);
            return new StreamGroupStatus(stream, group, info.ConsumerCount, info.PendingMessageCount,
                info.LastDeliveredId ?? "0-0", info.EntriesRead, info.Lag, length);
        }
        return null;
    }

    /// <summary>
    /// Where <paramref name="entryId"/> stands in <paramref name="group"/>, checked in this order:
    /// <see cref="EntryState.Pending"/> (delivered, not acknowledged: with consumer and delivery count),
    /// <see cref="EntryState.Discarded"/> (its dead letter was discarded), the status of its replay (its dead letter
    /// was replayed: the new entry's state, with <see cref="EntryStatus.ReplayedAs"/> set),
    /// <see cref="EntryState.DeadLettered"/> (a record with this original id and group is in the dead-letter stream),
    /// <see cref="EntryState.Done"/> (at or before the group's last-delivered id and not pending: acknowledged),
    /// <see cref="EntryState.Waiting"/> (not yet delivered), or <see cref="EntryState.GroupMissing"/>.
    /// <paramref name="deadLetterStream"/> is the group's dead-letter stream; default <c>{stream}:dead-letter</c>.
    /// </summary>
    /// <exception cref="FormatException"><paramref name="entryId"/> is not an entry id.</exception>
    public Task<EntryStatus> GetEntryStatusAsync(string stream, string group, string entryId,
        string? deadLetterStream = null, CancellationToken cancellationToken = default) =>
        GetEntryStatusAsync(stream, group, entryId, deadLetterStream, replayHops: 0, cancellationToken);

    private async Task<EntryStatus> GetEntryStatusAsync(string stream, string group, string entryId,
        string? deadLetterStream, int replayHops, CancellationToken cancellationToken)
    {
        RequireNames(stream, group);
        StreamReplies.SplitId(entryId);
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var groupStatus = await GetGroupAsync(stream, group, cancellationToken).ConfigureAwait(false);
        if (groupStatus is null)
            return new EntryStatus(EntryState.GroupMissing);

        var pending = await database.StreamPendingMessagesAsync(stream, group, 1, RedisValue.Null, entryId, entryId)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        if (pending.Length > 0)
            return new EntryStatus(EntryState.Pending, pending[0].ConsumerName, pending[0].DeliveryCount);

        // An entry that was dead-lettered is acknowledged, so without this it would read as Done: a replay continues
        // as a new entry (follow it), a discard is final.
        var deadLetters = deadLetterStream ?? StreamSubscriberOptions.DefaultDeadLetterStream(stream);
        // A dead-letter stream name that cannot share a slot with other keys can have no outcomes (the operations
        // refuse it).
        var outcome = StreamKeys.HasSlotPrefix(deadLetters)
            ? DeadLetterOutcome.Parse(await database.StringGetAsync(DeadLetterKeys.Outcome(deadLetters, group, entryId))
                .WaitAsync(cancellationToken).ConfigureAwait(false))
            : null;
        if (outcome?.Kind == DeadLetterOutcomeKind.Discarded)
            return new EntryStatus(EntryState.Discarded);
        if (outcome?.Kind == DeadLetterOutcomeKind.Replayed && replayHops < MaxReplayHops)
        {
            var replay = await GetEntryStatusAsync(stream, group, outcome.NewEntryId!, deadLetterStream,
                replayHops + 1, cancellationToken).ConfigureAwait(false);
            return replay with { ReplayedAs = replay.ReplayedAs ?? outcome.NewEntryId };
        }

        var deadLetter = await FindDeadLetterAsync(deadLetters, group, entryId, cancellationToken)
            .ConfigureAwait(false);
        if (deadLetter is not null)
            return new EntryStatus(EntryState.DeadLettered, deadLetter.Consumer, deadLetter.DeliveryCount, deadLetter);

        return StreamReplies.CompareIds(entryId, groupStatus.LastDeliveredId) <= 0
            ? new EntryStatus(EntryState.Done)
            : new EntryStatus(EntryState.Waiting);
    }

    /// <summary>
    /// The dead-letter record of <paramref name="entryId"/> written by <paramref name="group"/>, or null. Found by the
    /// key the writer keeps per (group, entry) (<see cref="DeadLetterKeys.Written"/>); only while dead letters written
    /// by an earlier version are still being counted (<see cref="DeadLetterCounts"/>) does it fall back to a scan of
    /// the dead-letter stream from shortly before the entry's time, of at most 100,000 records.
    /// </summary>
    public async Task<DeadLetterRecord?> FindDeadLetterAsync(string deadLetterStream, string group, string entryId,
        CancellationToken cancellationToken = default)
    {
        RequireNames(deadLetterStream, group);
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        if (StreamKeys.HasSlotPrefix(deadLetterStream))
        {
            var id = await database.StringGetAsync(DeadLetterKeys.Written(deadLetterStream, group, entryId))
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!id.IsNull)
            {
                var found = RawEntry.From(await database.StreamRangeAsync(deadLetterStream, id, id)
                    .WaitAsync(cancellationToken).ConfigureAwait(false));
                return found.Length > 0 ? DeadLetterCodec.DecodeRecord(found[0]) : null;
            }
            var done = await database.HashGetAsync(DeadLetterKeys.CountsState(deadLetterStream), "done")
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            if (done == "1")
                return null;
        }
        return await ScanForDeadLetterAsync(database, deadLetterStream, group, entryId, cancellationToken)
            .ConfigureAwait(false);
    }

    private static async Task<DeadLetterRecord?> ScanForDeadLetterAsync(IDatabase database, string deadLetterStream,
        string group, string entryId, CancellationToken cancellationToken)
    {
        var (ms, _) = StreamReplies.SplitId(entryId);
        var from = ms > (ulong)ClockSkewAllowance.TotalMilliseconds
            ? ms - (ulong)ClockSkewAllowance.TotalMilliseconds
            : 0;
        RedisValue start = from.ToString(CultureInfo.InvariantCulture);
        for (var page = 0; page < MaxDeadLetterPages; page++)
        {
            var entries = RawEntry.From(await database
                .StreamRangeAsync(deadLetterStream, start, "+", DeadLetterPageSize)
                .WaitAsync(cancellationToken).ConfigureAwait(false));
            foreach (var entry in entries)
            {
                var record = DeadLetterCodec.DecodeRecord(entry);
                if (record is not null && record.OriginalId == entryId && record.Group == group)
                    return record;
            }
            if (entries.Length < DeadLetterPageSize)
                return null;
            start = "(" + entries[^1].Id;
        }
        return null;
    }

    private async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken) =>
        (await _connections.GetSharedAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();

    private static void RequireNames(string stream, string group)
    {
        if (string.IsNullOrWhiteSpace(stream))
            throw new ArgumentException("The stream name is empty: pass the stream key, e.g. 'orders-placed'.",
                nameof(stream));
        if (string.IsNullOrWhiteSpace(group))
            throw new ArgumentException("The consumer group name is empty: pass the group, e.g. 'notifications'.",
                nameof(group));
    }
}

/// <summary>A consumer group's counters.</summary>
/// <param name="Stream">The stream key.</param>
/// <param name="Group">The group.</param>
/// <param name="Consumers">Consumers the group knows (live or not yet cleaned up).</param>
/// <param name="Pending">Entries delivered to a consumer and not yet acknowledged.</param>
/// <param name="LastDeliveredId">The newest entry id delivered to the group.</param>
/// <param name="EntriesRead">Entries the group has read (Redis 7+), else null.</param>
/// <param name="Lag">Entries in the stream not yet delivered to the group (Redis 7+; null when unknown).</param>
/// <param name="StreamLength">Entries in the stream (XLEN).</param>
public sealed record StreamGroupStatus(string Stream, string Group, int Consumers, long Pending, string LastDeliveredId,
    long? EntriesRead, long? Lag, long StreamLength)
{
    /// <summary>Work left for the group: <see cref="Lag"/> plus <see cref="Pending"/>; when Redis cannot tell the lag,
    /// the stream length stands in for it (an overestimate, which errs on the side of scaling out).</summary>
    public long Backlog => (Lag ?? StreamLength) + Pending;
}

/// <summary>Where one entry stands in one group.</summary>
public enum EntryState
{
    /// <summary>Not yet delivered to the group.</summary>
    Waiting,

    /// <summary>Delivered to a consumer and not acknowledged (being handled, or failed and waiting for a
    /// retry).</summary>
    Pending,

    /// <summary>Handled and acknowledged.</summary>
    Done,

    /// <summary>Given up on and written to the dead-letter stream.</summary>
    DeadLettered,

    /// <summary>The stream or the group does not exist.</summary>
    GroupMissing,

    /// <summary>Given up on, and its dead letter discarded by an operator.</summary>
    Discarded,
}

/// <summary>An entry's state in a group; consumer and delivery count for pending and dead-lettered entries.
/// <see cref="ReplayedAs"/>: when the entry's dead letter was replayed, the newest replay's entry id (the state is that
/// entry's).</summary>
public sealed record EntryStatus(EntryState State, string? Consumer = null, int? DeliveryCount = null,
    DeadLetterRecord? DeadLetter = null)
{
    /// <summary>The entry that replays this one, when its dead letter was replayed.</summary>
    public string? ReplayedAs { get; init; }
}
