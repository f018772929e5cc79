using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Retention;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>
/// Reads what an operator needs about streams, their groups and consumers, straight from Redis (nothing cached):
/// the figures behind the ops overview, the health check and the gauges. Read-only, thread-safe, shared connection.
/// Cost per stream: a handful of commands per group, plus two bounded scans: the dead-letter stream (to count dead
/// letters per group) and, only when Redis returns a nil lag, the entries after a group's last-delivered id.
/// </summary>
public sealed class StreamOverviewReader
{
    /// <summary>The most entries one count scans (dead letters per group; a lag Redis cannot tell).</summary>
    public const int CountLimit = 100_000;

    private const int PageSize = 1_000;

    private readonly IRedisConnectionFactory _connections;
    private readonly StreamRetention _retention;
    private readonly TimeProvider _time;

    public StreamOverviewReader(IRedisConnectionFactory connections) : this(connections, TimeProvider.System)
    {
    }

    internal StreamOverviewReader(IRedisConnectionFactory connections, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connections);
        _connections = connections;
        _time = time;
        _retention = new StreamRetention(connections, null, time);
    }

    /// <summary>The overview of each requested stream, in the order given.</summary>
    public async Task<IReadOnlyList<StreamOverview>> ReadAsync(IEnumerable<StreamOverviewRequest> streams, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var database = (await _connections.GetSharedAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
        var result = new List<StreamOverview>();
        foreach (var request in streams)
            result.Add(await ReadOneAsync(database, request, cancellationToken).ConfigureAwait(false));
        return result;
    }

    /// <summary>The overview of one stream.</summary>
    public async Task<StreamOverview> ReadAsync(StreamOverviewRequest stream, CancellationToken cancellationToken = default) =>
        (await ReadAsync([stream], cancellationToken).ConfigureAwait(false))[0];

    private async Task<StreamOverview> ReadOneAsync(IDatabase database, StreamOverviewRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Stream);
        var policy = request.Policy ?? RetentionPolicy.Default;
        var claimMinIdle = request.ClaimMinIdle ?? StreamSubscriberOptions.DefaultClaimMinIdle;
        var now = _time.GetUtcNow();
        RedisKey key = request.Stream;
        var deadLetterStream = request.EffectiveDeadLetterStream;

        var exists = await database.KeyExistsAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
        var length = exists ? await database.StreamLengthAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false) : 0;
        var first = exists ? await EdgeIdAsync(database, key, "XRANGE", "-", "+", cancellationToken).ConfigureAwait(false) : null;
        var last = exists ? await EdgeIdAsync(database, key, "XREVRANGE", "+", "-", cancellationToken).ConfigureAwait(false) : null;
        var groups = exists ? await GroupInfoReader.ReadGroupsAsync(database, key, cancellationToken).ConfigureAwait(false) : [];
        var floor = exists ? await _retention.ReadFloorAsync(database, request.Stream, groups, policy, cancellationToken).ConfigureAwait(false) : null;
        var deadLetterLength = await database.StreamLengthAsync(deadLetterStream).WaitAsync(cancellationToken).ConfigureAwait(false);
        var deadLetterLastId = deadLetterLength > 0
            ? await EdgeIdAsync(database, deadLetterStream, "XREVRANGE", "+", "-", cancellationToken).ConfigureAwait(false)
            : null;
        var deadLetters = !request.CountDeadLetters ? null
            : deadLetterLength > 0
            ? await CountDeadLettersByGroupAsync(database, deadLetterStream, cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, long>(StringComparer.Ordinal);

        var groupOverviews = new List<GroupOverview>(groups.Count);
        foreach (var group in groups)
        {
            var oldestPending = floor?.Groups.FirstOrDefault(g => g.Group == group.Name)?.OldestPendingId;
            var lag = group.Lag;
            var counted = false;
            if (lag is null)
            {
                lag = await CountAfterAsync(database, key, group.LastDeliveredId, cancellationToken).ConfigureAwait(false);
                counted = true;
            }
            groupOverviews.Add(new GroupOverview(
                group.Name,
                lag,
                counted,
                group.Pending,
                oldestPending is null ? null : StreamIds.AgeSeconds(oldestPending, now),
                deadLetters?.GetValueOrDefault(group.Name),
                group.LastDeliveredId,
                group.EntriesRead,
                await ReadConsumersAsync(database, request.Stream, group.Name, claimMinIdle, now, cancellationToken).ConfigureAwait(false)));
        }

        return new StreamOverview(
            request.Stream,
            exists,
            length,
            first,
            last,
            first is null ? null : StreamIds.AgeSeconds(first, now),
            new RetentionOverview(floor?.FloorId, floor?.HeldBy, policy.MinAge.TotalSeconds, policy.MaxAge?.TotalSeconds, policy.MaxLength),
            deadLetterStream,
            deadLetterLength,
            deadLetterLastId,
            groupOverviews);
    }

    private static async Task<string?> EdgeIdAsync(IDatabase database, RedisKey key, string command, string from, string to, CancellationToken cancellationToken)
    {
        var entries = StreamReplies.ParseEntries(await database.ExecuteAsync(command, key, from, to, "COUNT", 1).WaitAsync(cancellationToken).ConfigureAwait(false));
        return entries.Length > 0 ? entries[0].Id : null;
    }

    // A subscriber records its consumer in StreamKeys.ConsumersSeen at least once a minute (with its consumer cleanup);
    // Redis before 7.2 does not reset the idle time of a consumer whose reads come back empty, so on a quiet stream
    // that record, not XINFO's idle time, tells a live consumer from a dead one.
    private static readonly TimeSpan SeenRecordFreshness = TimeSpan.FromMinutes(2);

    private static async Task<IReadOnlyList<ConsumerOverview>> ReadConsumersAsync(IDatabase database, string stream, string group,
        TimeSpan claimMinIdle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reply = await database.ExecuteAsync("XINFO", "CONSUMERS", (RedisKey)stream, group).WaitAsync(cancellationToken).ConfigureAwait(false);
        var seen = await ReadSeenAsync(database, stream, group, cancellationToken).ConfigureAwait(false);
        var consumers = new List<ConsumerOverview>();
        foreach (var item in (RedisResult[]?)reply ?? [])
        {
            var info = StreamReplies.ParseMap(item);
            var name = (string)info["name"]!;
            var pending = (long)info["pending"];
            var idle = TimeSpan.FromMilliseconds((long)info["idle"]);
            double? inactive = info.TryGetValue("inactive", out var value) && !value.IsNull ? Math.Max(0, (long)value) / 1000.0 : null;
            var seenRecently = seen.TryGetValue(name, out var seenAtMs)
                && now - DateTimeOffset.FromUnixTimeMilliseconds(seenAtMs) <= (claimMinIdle > SeenRecordFreshness ? claimMinIdle : SeenRecordFreshness);
            var state = idle <= claimMinIdle || seenRecently ? ConsumerState.Alive : pending > 0 ? ConsumerState.Dead : ConsumerState.Idle;
            consumers.Add(new ConsumerOverview(name, pending, idle.TotalSeconds, inactive, state));
        }
        return consumers;
    }

    private static async Task<Dictionary<string, long>> ReadSeenAsync(IDatabase database, string stream, string group, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        var key = StreamKeys.ConsumersSeen(stream, group);
        if (key is null)
            return seen;
        foreach (var field in await database.HashGetAllAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            if (field.Value.TryParse(out long ms))
                seen[field.Name!] = ms;
        }
        return seen;
    }

    /// <summary>Dead letters per group, over the first <see cref="CountLimit"/> entries of the dead-letter stream.</summary>
    private static async Task<Dictionary<string, long>> CountDeadLettersByGroupAsync(IDatabase database, RedisKey deadLetterStream, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var start = "-";
        for (var scanned = 0; scanned < CountLimit;)
        {
            var entries = StreamReplies.ParseEntries(await database.ExecuteAsync("XRANGE", deadLetterStream, start, "+", "COUNT", PageSize)
                .WaitAsync(cancellationToken).ConfigureAwait(false));
            foreach (var entry in entries)
            {
                var group = GroupOf(entry);
                if (group is not null)
                    counts[group] = counts.GetValueOrDefault(group) + 1;
            }
            scanned += entries.Length;
            if (entries.Length < PageSize) break;
            start = "(" + entries[^1].Id;
        }
        return counts;
    }

    private static string? GroupOf(RawEntry entry)
    {
        var fields = entry.Fields;
        if (fields is null) return null;
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            if ((string?)fields[i] == DeadLetterFields.Group)
                return (string?)fields[i + 1];
        }
        return null;
    }

    /// <summary>Entries after <paramref name="lastDeliveredId"/>, counted up to <see cref="CountLimit"/>.</summary>
    private static async Task<long> CountAfterAsync(IDatabase database, RedisKey key, string lastDeliveredId, CancellationToken cancellationToken)
    {
        long count = 0;
        var start = "(" + lastDeliveredId;
        while (count < CountLimit)
        {
            var entries = StreamReplies.ParseEntries(await database.ExecuteAsync("XRANGE", key, start, "+", "COUNT", PageSize)
                .WaitAsync(cancellationToken).ConfigureAwait(false));
            count += entries.Length;
            if (entries.Length < PageSize) break;
            start = "(" + entries[^1].Id;
        }
        return Math.Min(count, CountLimit);
    }
}
