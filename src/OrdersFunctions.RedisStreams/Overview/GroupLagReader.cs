using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>
/// Reads one group's <see cref="GroupLag"/>: XINFO GROUPS and XLEN always; XINFO STREAM only when Redis reports no
/// lag; and a bounded XRANGE count only when neither tells (see <see cref="LagEstimate"/>). Each command is O(1) or
/// bounded by the count limit, so it may run on a timer. Read-only and thread-safe.
/// </summary>
public static class GroupLagReader
{
    /// <summary>The most entries a count scans when no counter can tell the lag.</summary>
    public const int DefaultCountLimit = 10_000;

    private const int PageSize = 1_000;

    /// <summary>The group's backlog, or null when the stream or the group does not exist.</summary>
    public static async Task<GroupLag?> ReadAsync(IDatabaseAsync database, string stream, string group,
        int countLimit = DefaultCountLimit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(countLimit);
        RedisKey key = stream;
        var groupsRead = GroupInfoReader.ReadGroupsAsync(database, key, cancellationToken);
        var lengthRead = database.StreamLengthAsync(key).WaitAsync(cancellationToken);
        var info = (await groupsRead.ConfigureAwait(false)).FirstOrDefault(g => g.Name == group);
        var length = await lengthRead.ConfigureAwait(false);
        if (info is null)
            return null;

        var lag = LagEstimate.FromCounters(info.Lag, null, info.EntriesRead, length);
        if (lag is null && info.EntriesRead is not null)
            lag = LagEstimate.FromCounters(null,
                await EntriesAddedAsync(database, key, cancellationToken).ConfigureAwait(false),
                info.EntriesRead, length);
        lag ??= await EstimateAsync(database, key, info, length, null, countLimit, cancellationToken)
            .ConfigureAwait(false);
        return new GroupLag(stream, group, lag.Value, info.Pending, info.EntriesRead, info.LastDeliveredId, length,
            info.Consumers);
    }

    /// <summary>
    /// The same rules for a reader that has read XINFO GROUPS and XINFO STREAM already (the overview, for every
    /// group at once): the counters when they tell, else a count of at most <paramref name="countLimit"/> entries.
    /// </summary>
    internal static async Task<LagEstimate> EstimateAsync(IDatabaseAsync database, RedisKey key, GroupInfo info,
        long length, long? entriesAdded, int countLimit, CancellationToken cancellationToken)
    {
        if (LagEstimate.FromCounters(info.Lag, entriesAdded, info.EntriesRead, length) is { } fromCounters)
            return fromCounters;
        var counted = await CountAfterAsync(database, key, info.LastDeliveredId, countLimit, cancellationToken)
            .ConfigureAwait(false);
        return LagEstimate.FromCount(counted, countLimit, length);
    }

    /// <summary>XINFO STREAM <c>entries-added</c> (raw: StackExchange.Redis 2.8 does not parse it); null before Redis 7
    /// or when the stream went away meanwhile.</summary>
    private static async Task<long?> EntriesAddedAsync(IDatabaseAsync database, RedisKey key,
        CancellationToken cancellationToken)
    {
        try
        {
            var reply = await database.ExecuteAsync("XINFO", "STREAM", key)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return StreamReplies.ParseMap(reply).TryGetValue("entries-added", out var added) && !added.IsNull
                ? (long)added
                : null;
        }
        catch (RedisServerException ex) when (ex.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
    }

    /// <summary>Entries after <paramref name="lastDeliveredId"/>, counted page by page up to
    /// <paramref name="limit"/>.</summary>
    private static async Task<long> CountAfterAsync(IDatabaseAsync database, RedisKey key, string lastDeliveredId,
        int limit, CancellationToken cancellationToken)
    {
        long count = 0;
        var start = "(" + lastDeliveredId;
        while (count < limit)
        {
            var page = (int)Math.Min(PageSize, limit - count);
            var entries = StreamReplies.ParseEntries(await database
                .ExecuteAsync("XRANGE", key, start, "+", "COUNT", page)
                .WaitAsync(cancellationToken).ConfigureAwait(false));
            count += entries.Length;
            if (entries.Length < page)
                break;
            start = "(" + entries[^1].Id;
        }
        return count;
    }
}
