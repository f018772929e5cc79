using System.Globalization;

namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>Arithmetic on stream entry ids (<c>ms-seq</c>), which are ordered by time first.</summary>
public static class StreamIds
{
    /// <summary>Whether <paramref name="text"/> is a stream entry id (<c>ms-seq</c>, or a bare <c>ms</c>).</summary>
    public static bool IsEntryId(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return false;
        try
        {
            StreamReplies.SplitId(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The smallest id any entry added at <paramref name="time"/> or later can have.</summary>
    public static string AtTime(DateTimeOffset time) =>
        Math.Max(0L, time.ToUnixTimeMilliseconds()).ToString(CultureInfo.InvariantCulture) + "-0";

    /// <summary>The smallest id greater than <paramref name="id"/>: an XTRIM MINID at it removes <paramref name="id"/>
    /// and everything before it, nothing after.</summary>
    public static string Successor(string id)
    {
        var (ms, seq) = StreamReplies.SplitId(id);
        return seq == ulong.MaxValue
            ? (ms + 1).ToString(CultureInfo.InvariantCulture) + "-0"
            : ms.ToString(CultureInfo.InvariantCulture) + "-" + (seq + 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>When the entry was added, by its id (the adding node's clock).</summary>
    public static DateTimeOffset TimeOf(string id) =>
        DateTimeOffset.FromUnixTimeMilliseconds(
            (long)Math.Min(StreamReplies.SplitId(id).Milliseconds, 253402300799999UL));

    /// <summary>
    /// Seconds since the entry was added, never negative (clocks of Redis and of this process differ a little).
    /// </summary>
    public static double AgeSeconds(string id, DateTimeOffset now) => Math.Max(0, (now - TimeOf(id)).TotalSeconds);

    public static bool IsBefore(string left, string right) => StreamReplies.CompareIds(left, right) < 0;
}
