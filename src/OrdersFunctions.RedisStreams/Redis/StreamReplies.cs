using System.Globalization;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>Parses the raw replies of the stream commands the engine sends with <c>ExecuteAsync</c>.</summary>
internal static class StreamReplies
{
    /// <summary>XREADGROUP reply for one stream: nil (timeout) or <c>[[key, [[id, [f, v, …]], …]]]</c>.</summary>
    public static RawEntry[] ParseReadGroup(RedisResult result)
    {
        if (result.IsNull)
            return [];
        var streams = (RedisResult[]?)result;
        if (streams is null || streams.Length == 0)
            return [];
        var stream = (RedisResult[]?)streams[0];
        if (stream is null || stream.Length < 2)
            return [];
        return ParseEntries(stream[1]);
    }

    /// <summary>XCLAIM / XRANGE reply: <c>[[id, [f, v, …]], …]</c>; an element may be nil on old servers.</summary>
    public static RawEntry[] ParseEntries(RedisResult result)
    {
        if (result.IsNull)
            return [];
        var items = (RedisResult[]?)result;
        if (items is null || items.Length == 0)
            return [];
        var entries = new List<RawEntry>(items.Length);
        foreach (var item in items)
        {
            if (item.IsNull)
                continue;
            var pair = (RedisResult[]?)item;
            if (pair is null || pair.Length == 0)
                continue;
            var id = (string?)pair[0];
            if (id is null)
                continue;
            var fields = pair.Length > 1 && !pair[1].IsNull ? (RedisResult[]?)pair[1] : null;
            entries.Add(new RawEntry(id, fields));
        }
        return entries.ToArray();
    }

    /// <summary>Extended XPENDING reply: <c>[[id, consumer, idle-ms, deliveries], …]</c>.</summary>
    public static PendingEntry[] ParsePending(RedisResult result)
    {
        if (result.IsNull)
            return [];
        var items = (RedisResult[]?)result;
        if (items is null || items.Length == 0)
            return [];
        var entries = new PendingEntry[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var row = (RedisResult[])items[i]!;
            entries[i] = new PendingEntry(
                (string)row[0]!,
                (string)row[1]!,
                TimeSpan.FromMilliseconds((long)row[2]),
                (int)(long)row[3]);
        }
        return entries;
    }

    /// <summary>A reply made of <c>[name, value, name, value, …]</c> (XINFO) as a dictionary.</summary>
    public static Dictionary<string, RedisResult> ParseMap(RedisResult result)
    {
        var map = new Dictionary<string, RedisResult>(StringComparer.Ordinal);
        var items = (RedisResult[]?)result;
        if (items is null)
            return map;
        for (var i = 0; i + 1 < items.Length; i += 2)
            map[(string)items[i]!] = items[i + 1];
        return map;
    }

    /// <summary>Compares two entry ids (<c>ms-seq</c>) numerically. Returns &lt;0, 0 or &gt;0.</summary>
    public static int CompareIds(string left, string right)
    {
        var (leftMs, leftSeq) = SplitId(left);
        var (rightMs, rightSeq) = SplitId(right);
        var byMs = leftMs.CompareTo(rightMs);
        return byMs != 0 ? byMs : leftSeq.CompareTo(rightSeq);
    }

    /// <summary>Splits <c>ms-seq</c> (a bare <c>ms</c> means sequence 0).</summary>
    /// <exception cref="FormatException">The text is not an entry id.</exception>
    public static (ulong Milliseconds, ulong Sequence) SplitId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var dash = id.IndexOf('-');
        var msText = dash < 0 ? id.AsSpan() : id.AsSpan(0, dash);
        var seqText = dash < 0 ? "0".AsSpan() : id.AsSpan(dash + 1);
        if (!ulong.TryParse(msText, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || !ulong.TryParse(seqText, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            throw new FormatException(
                $"'{id}' is not a stream entry id: expected '<milliseconds>-<sequence>', e.g. '1700000000000-0'.");
        return (ms, seq);
    }
}

/// <summary>One row of the extended XPENDING reply.</summary>
internal readonly record struct PendingEntry(string Id, string Consumer, TimeSpan Idle, int Deliveries)
{
    /// <summary>The rows of a typed extended XPENDING reply.</summary>
    public static PendingEntry[] From(StreamPendingMessageInfo[] rows)
    {
        var entries = new PendingEntry[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            entries[i] = new PendingEntry((string)row.MessageId!, (string)row.ConsumerName!,
                TimeSpan.FromMilliseconds(row.IdleTimeInMilliseconds), row.DeliveryCount);
        }
        return entries;
    }
}
