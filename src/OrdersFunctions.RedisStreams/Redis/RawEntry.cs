using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>A stream entry as Redis returned it: its id and its field/value pairs flattened
/// (<c>[f1, v1, f2, v2, …]</c>), kept as returned so that dead-lettering can copy them unchanged.
/// <see cref="Fields"/> is null when Redis returned the id without fields (the entry was deleted).</summary>
internal readonly record struct RawEntry(string Id, RedisResult[]? Fields)
{
    /// <summary>Entries of a typed reply (XCLAIM, XRANGE) in the same shape as a raw read's; nil entries (deleted ones,
    /// on servers that still return them) are left out, as if they had not been returned.</summary>
    public static RawEntry[] From(StreamEntry[] entries)
    {
        var result = new List<RawEntry>(entries.Length);
        foreach (var entry in entries)
        {
            if (entry.IsNull || entry.Id.IsNull)
                continue;
            var values = entry.Values ?? [];
            var fields = new RedisResult[values.Length * 2];
            for (var i = 0; i < values.Length; i++)
            {
                fields[i * 2] = RedisResult.Create(values[i].Name);
                fields[i * 2 + 1] = RedisResult.Create(values[i].Value);
            }
            result.Add(new RawEntry((string)entry.Id!, fields));
        }
        return result.ToArray();
    }
}
