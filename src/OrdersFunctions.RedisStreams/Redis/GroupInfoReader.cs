using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>
/// XINFO GROUPS and the XPENDING summary, parsed: the raw facts retention and the overview are built on.
/// </summary>
internal static class GroupInfoReader
{
    /// <summary>
    /// Every group of <paramref name="stream"/> (ours or anyone's); empty when the stream does not exist.
    /// </summary>
    public static async Task<IReadOnlyList<GroupInfo>> ReadGroupsAsync(
        IDatabaseAsync database, RedisKey stream, CancellationToken cancellationToken)
    {
        RedisResult reply;
        try
        {
            reply = await database.ExecuteAsync("XINFO", "GROUPS", stream).WaitAsync(cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }
        var groups = new List<GroupInfo>();
        foreach (var item in (RedisResult[]?)reply ?? [])
        {
            var info = StreamReplies.ParseMap(item);
            groups.Add(new GroupInfo(
                Name: (string)info["name"]!,
                Consumers: (long)info["consumers"],
                Pending: (long)info["pending"],
                LastDeliveredId: (string)info["last-delivered-id"]!,
                EntriesRead: EntriesRead(info),
                Lag: info.TryGetValue("lag", out var lag) && !lag.IsNull ? (long)lag : null));
        }
        return groups;
    }

    /// <summary>
    /// The group's entries-read; null without the field (Redis &lt; 7). Redis 7 answers nil for a group created at an
    /// id other than <c>$</c> until its first read: such a group (last-delivered-id 0-0) has read 0 entries, and saying
    /// so lets the first batch it reads count as throughput instead of vanishing into a null-to-number step.
    /// </summary>
    private static long? EntriesRead(IReadOnlyDictionary<string, RedisResult> info)
    {
        if (!info.TryGetValue("entries-read", out var read))
            return null;
        if (!read.IsNull)
            return (long)read;
        return (string?)info["last-delivered-id"] == "0-0" ? 0 : null;
    }

    /// <summary>The group's oldest pending id (XPENDING summary form), or null when nothing is pending.</summary>
    public static async Task<string?> OldestPendingIdAsync(
        IDatabaseAsync database, RedisKey stream, string group, CancellationToken cancellationToken)
    {
        var reply = await database.ExecuteAsync("XPENDING", stream, group).WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        var parts = (RedisResult[]?)reply;
        return parts is { Length: >= 2 } && !parts[1].IsNull ? (string?)parts[1] : null;
    }
}

/// <summary>One row of XINFO GROUPS.</summary>
internal sealed record GroupInfo(
    string Name, long Consumers, long Pending, string LastDeliveredId, long? EntriesRead, long? Lag);
