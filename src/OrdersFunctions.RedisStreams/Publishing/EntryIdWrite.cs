using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.Publishing;

/// <summary>
/// A string key written in the same atomic step as a published entry (see <see cref="PublishTransaction"/>), typically
/// an index from a business id to the entry, or a stored answer that names the entry.
/// </summary>
/// <param name="Key">The key to SET. In a Redis Cluster it must share the stream's hash slot: prefix it with
/// <see cref="StreamKeys.SlotPrefix"/>.</param>
/// <param name="ValueTemplate">The value; its first <see cref="EntryIdToken"/> is replaced by the new entry id.</param>
/// <param name="Ttl">How long the key lives (SET … PX).</param>
public sealed record EntryIdWrite(string Key, string ValueTemplate, TimeSpan Ttl)
{
    /// <summary>Stands for the new entry's id in <see cref="ValueTemplate"/>.</summary>
    public const string EntryIdToken = "{entryId}";

    /// <summary>A write whose value is just the entry id.</summary>
    public static EntryIdWrite EntryId(string key, TimeSpan ttl) => new(key, EntryIdToken, ttl);
}
