namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>Naming keys that live next to a stream.</summary>
public static class StreamKeys
{
    /// <summary>
    /// A prefix that puts a key in the same Redis Cluster hash slot as <paramref name="stream"/>, as keys written
    /// atomically with its entries must be: <c>{orders-placed}:</c> for <c>orders-placed</c> (the braces are a hash
    /// tag: only their content is hashed), or the stream name and a colon when it already has a hash tag.
    /// </summary>
    /// <exception cref="ArgumentException">The name contains '}' but no hash tag,
    /// so no key can share its slot.</exception>
    public static string SlotPrefix(string stream)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        if (HashedPart(stream).Length != stream.Length)
            return stream + ":";
        if (!HasSlotPrefix(stream))
            throw new ArgumentException(
                $"The stream name '{stream}' contains '}}' but no hash tag, " +
                "so no other key can share its Redis Cluster slot: " +
                $"rename it, or give it a hash tag such as '{{orders}}-placed'.",
                nameof(stream));
        return "{" + stream + "}:";
    }

    /// <summary>
    /// The hash in which the subscribers of <paramref name="group"/> record when each of its consumers was last seen
    /// alive (field: consumer name, value: Redis time in ms). Redis before 7.2 resets a consumer's idle time only when
    /// it receives entries, so a live consumer of a quiet stream looks as idle as a dead one; this tells them apart.
    /// Null when the stream name cannot have a slot prefix (see <see cref="HasSlotPrefix"/>).
    /// </summary>
    public static string? ConsumersSeen(string stream, string group) =>
        HasSlotPrefix(stream) ? SlotPrefix(stream) + "consumers-seen:" + group : null;

    /// <summary>Whether <see cref="SlotPrefix"/> can name keys for <paramref name="stream"/>: it has a hash tag, or no
    /// '}' that would end one early.</summary>
    public static bool HasSlotPrefix(string stream) =>
        HashedPart(stream).Length != stream.Length || !stream.Contains('}', StringComparison.Ordinal);

    /// <summary>
    /// The part of <paramref name="key"/> Redis Cluster hashes to pick its slot: the hash tag (what lies between the
    /// first '{' and the first '}' after it, if not empty), else the whole key. Keys with equal parts share a slot.
    /// </summary>
    internal static ReadOnlySpan<char> HashedPart(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
            return key;
        var close = key.IndexOf('}', open + 1);
        return close > open + 1 ? key.AsSpan(open + 1, close - open - 1) : key;
    }
}
