using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>
/// A group's consumers with their state: XINFO CONSUMERS and the subscribers' "seen" record, read together (two
/// commands, O(consumers)), judged, counted by state, and capped by <see cref="ConsumerSelection"/>.
/// </summary>
internal static class ConsumerListReader
{
    public static async Task<IReadOnlyList<ConsumerOverview>> ReadAsync(IDatabaseAsync database, string stream,
        string group, ConsumerLiveness liveness, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var replyTask = database.ExecuteAsync("XINFO", "CONSUMERS", (RedisKey)stream, group);
        var seenTask = ReadSeenAsync(database, stream, group);
        var reply = await replyTask.WaitAsync(cancellationToken).ConfigureAwait(false);
        var seen = await seenTask.WaitAsync(cancellationToken).ConfigureAwait(false);
        var items = (RedisResult[]?)reply ?? [];
        var consumers = new List<ConsumerOverview>(items.Length);
        foreach (var item in items)
        {
            var info = StreamReplies.ParseMap(item);
            var name = (string)info["name"]!;
            var pending = (long)info["pending"];
            var idle = TimeSpan.FromMilliseconds((long)info["idle"]);
            double? inactive = info.TryGetValue("inactive", out var value) && !value.IsNull
                ? Math.Max(0, (long)value) / 1000.0
                : null;
            var seenRecently = seen.TryGetValue(name, out var seenAtMs)
                && now - DateTimeOffset.FromUnixTimeMilliseconds(seenAtMs) <= liveness.SeenWithin;
            var state = idle <= liveness.ClaimMinIdle || seenRecently ? ConsumerState.Alive
                : pending > 0 ? ConsumerState.Dead
                : ConsumerState.Idle;
            consumers.Add(new ConsumerOverview(name, pending, idle.TotalSeconds, inactive, state));
        }
        return consumers;
    }

    private static async Task<Dictionary<string, long>> ReadSeenAsync(IDatabaseAsync database, string stream,
        string group)
    {
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        var key = StreamKeys.ConsumersSeen(stream, group);
        if (key is null)
            return seen;
        foreach (var field in await database.HashGetAllAsync(key).ConfigureAwait(false))
        {
            if (field.Value.TryParse(out long ms))
                seen[field.Name!] = ms;
        }
        return seen;
    }
}
