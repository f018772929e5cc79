using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Publishing;

/// <summary>
/// The Lua script behind <see cref="PublishTransaction"/>: condition, XADD and writes run as one atomic step inside
/// Redis, so no crash or dropped connection can leave part of them done.
/// </summary>
internal static class PublishScript
{
    // KEYS: stream, [condition key], write keys...
    // ARGV: hasCondition, expected value, trim kind ('' | MAXLEN | MINID), trim threshold, write count,
    //       (template, ttl ms) per write, then the entry's field/value pairs.
    private const string Script = """
        local nextKey = 2
        if ARGV[1] == '1' then
          if redis.call('GET', KEYS[2]) ~= ARGV[2] then return false end
          nextKey = 3
        end
        local writes = tonumber(ARGV[5])
        local xadd = { 'XADD', KEYS[1] }
        if ARGV[3] ~= '' then
          xadd[#xadd + 1] = ARGV[3]; xadd[#xadd + 1] = '~'; xadd[#xadd + 1] = ARGV[4]
        end
        xadd[#xadd + 1] = '*'
        for i = 6 + writes * 2, #ARGV do xadd[#xadd + 1] = ARGV[i] end
        local id = redis.call(unpack(xadd))
        for w = 0, writes - 1 do
          local template = ARGV[6 + w * 2]
          local from, to = string.find(template, '{entryId}', 1, true)
          local value = template
          if from then value = string.sub(template, 1, from - 1) .. id .. string.sub(template, to + 1) end
          redis.call('SET', KEYS[nextKey + w], value, 'PX', ARGV[7 + w * 2])
        end
        return id
        """;

    /// <summary>Runs the script; the result is the entry id, or nil when the condition did not hold.</summary>
    /// <remarks>Keys and arguments go straight into arrays of their final size: this runs once per published entry,
    /// and growing lists (then copying them) was a tenth of the bytes allocated per order over HTTP.</remarks>
    public static Task<RedisResult> RunAsync(IDatabase database, string stream, NameValueEntry[] fields,
        (string Kind, string Threshold)? trim, PublishTransaction transaction)
    {
        var writes = transaction.Writes;
        var condition = transaction.Condition;
        var keys = new RedisKey[1 + (condition is null ? 0 : 1) + writes.Count];
        var args = new RedisValue[5 + writes.Count * 2 + fields.Length * 2];
        keys[0] = stream;
        args[0] = condition is null ? "0" : "1";
        args[1] = condition?.ExpectedValue ?? "";
        args[2] = trim?.Kind ?? "";
        args[3] = trim?.Threshold ?? "";
        args[4] = writes.Count;
        var k = 1;
        var a = 5;
        if (condition is not null)
            keys[k++] = condition.Key;
        foreach (var write in writes)
        {
            keys[k++] = write.Key;
            args[a++] = write.ValueTemplate;
            args[a++] = (long)write.Ttl.TotalMilliseconds;
        }
        foreach (var field in fields)
        {
            args[a++] = field.Name;
            args[a++] = field.Value;
        }
        return database.ScriptEvaluateAsync(Script, keys, args);
    }

    /// <summary>
    /// Refuses TTLs under 1 ms (PX needs a positive whole number) and keys that do not hash like the stream. The latter
    /// everywhere, not only on a cluster (where a standalone connection reports no slots at all), so that code which
    /// works against a single local Redis does not fail with CROSSSLOT once deployed against a clustered one.
    /// </summary>
    /// <exception cref="ArgumentException">A key may be in another slot, or a TTL is under 1 ms.</exception>
    public static void ThrowIfInvalid(string stream, PublishTransaction transaction)
    {
        var keys = transaction.Writes.Select(w => w.Key);
        if (transaction.Condition is { } condition)
            keys = keys.Prepend(condition.Key);
        var outside = keys.Where(k => !StreamKeys.HashedPart(k).SequenceEqual(StreamKeys.HashedPart(stream))).ToList();
        if (outside.Count > 0)
            throw new ArgumentException(
                $"Keys written with an entry of '{stream}' must share its Redis Cluster hash slot " +
                $"(the same hash tag), and {string.Join(", ", outside.Select(k => $"'{k}'"))} do not: " +
                $"prefix them with StreamKeys.SlotPrefix(stream) ('{StreamKeys.SlotPrefix(stream)}').",
                nameof(transaction));
        var badTtl = transaction.Writes.FirstOrDefault(w => w.Ttl < TimeSpan.FromMilliseconds(1));
        if (badTtl is not null)
            throw new ArgumentException($"The write of '{badTtl.Key}' has TTL {badTtl.Ttl}: it must be at least 1 ms.",
                nameof(transaction));
    }
}
