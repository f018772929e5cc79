using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>
/// XINFO STREAM, parsed: one O(1) command for what would otherwise take EXISTS, XLEN, an XRANGE and an XREVRANGE.
/// </summary>
internal static class StreamInfoReader
{
    /// <summary>The stream's summary, or null when the key does not exist.</summary>
    public static async Task<StreamInfo?> ReadAsync(IDatabaseAsync database, RedisKey stream,
        CancellationToken cancellationToken)
    {
        RedisResult reply;
        try
        {
            // Raw: StackExchange.Redis 2.8's StreamInfoAsync does not parse entries-added (Redis 7).
            reply = await database.ExecuteAsync("XINFO", "STREAM", stream).WaitAsync(cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var info = StreamReplies.ParseMap(reply);
        return new StreamInfo(
            Length: (long)info["length"],
            FirstId: EntryId(info, "first-entry"),
            LastId: EntryId(info, "last-entry"),
            EntriesAdded: info.TryGetValue("entries-added", out var added) && !added.IsNull ? (long)added : null);
    }

    private static string? EntryId(Dictionary<string, RedisResult> info, string field)
    {
        if (!info.TryGetValue(field, out var entry) || entry.IsNull)
            return null;
        var pair = (RedisResult[]?)entry;
        return pair is { Length: > 0 } ? (string?)pair[0] : null;
    }
}

/// <summary>What XINFO STREAM says about a stream.</summary>
/// <param name="Length">Entries in it now.</param>
/// <param name="FirstId">The oldest entry's id; null when empty.</param>
/// <param name="LastId">The newest entry's id; null when empty.</param>
/// <param name="EntriesAdded">Entries added over its lifetime (Redis 7+), else null.</param>
internal sealed record StreamInfo(long Length, string? FirstId, string? LastId, long? EntriesAdded);
