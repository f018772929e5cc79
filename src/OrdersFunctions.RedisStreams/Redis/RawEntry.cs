using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>A stream entry as Redis returned it: its id and its field/value pairs flattened
/// (<c>[f1, v1, f2, v2, …]</c>), kept as returned so that dead-lettering can copy them unchanged.
/// <see cref="Fields"/> is null when Redis returned the id without fields (the entry was deleted).</summary>
internal readonly record struct RawEntry(string Id, RedisResult[]? Fields);
