namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>
/// The scripts that keep <see cref="DeadLetterKeys.Counts"/> exact. Each runs on the dead-letter stream's slot with
/// KEYS = [dead-letter stream, counts, counts state], and each does a bounded amount of work, so none holds Redis for
/// more than a few milliseconds however many dead letters there are.
/// </summary>
internal static class DeadLetterCountScripts
{
    /// <summary>
    /// Starts the one-time count of dead letters written before the counts existed, unless it has started already:
    /// clears the counts, and records the newest dead letter as the boundary (the writer counts everything after it).
    /// Returns the state's <c>done</c>: '1' when there is nothing to count.
    /// </summary>
    public const string Begin = """
        if redis.call('EXISTS', KEYS[3]) == 1 then
          return redis.call('HGET', KEYS[3], 'done') or '1'
        end
        redis.call('DEL', KEYS[2])
        local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
        if #last == 0 then
          redis.call('HSET', KEYS[3], 'done', '1')
          return '1'
        end
        redis.call('HSET', KEYS[3], 'done', '0', 'cursor', '0-0', 'boundary', last[1][1])
        return '0'
        """;

    /// <summary>
    /// Counts the next ARGV[1] dead letters after the cursor (up to the boundary) and records, for each, the key that
    /// maps its (group, original id) to it (ARGV[2]: the keys' prefix, ARGV[3]: their time to live in ms; NX keeps one
    /// the writer set). Returns {done, counted}.
    /// </summary>
    public const string Step = DeadLetterLua.Functions + """
        local s = redis.call('HMGET', KEYS[3], 'done', 'cursor', 'boundary')
        if s[1] ~= '0' then return {s[1] or 'missing', 0} end
        local limit = tonumber(ARGV[1])
        local entries = redis.call('XRANGE', KEYS[1], '(' .. s[2], s[3], 'COUNT', limit)
        for _, e in ipairs(entries) do
          local fields = e[2]
          local field = countfield(fields)
          if field then redis.call('HINCRBY', KEYS[2], field, 1) end
          local group, original
          for i = 1, #fields, 2 do
            if fields[i] == 'group' then group = fields[i + 1]
            elseif fields[i] == 'original_id' then original = fields[i + 1] end
          end
          if group and original then
            redis.call('SET', ARGV[2] .. 'written:' .. group .. ':' .. original, e[1], 'PX', ARGV[3], 'NX')
          end
        end
        if #entries < limit then
          redis.call('HSET', KEYS[3], 'done', '1')
          redis.call('HDEL', KEYS[3], 'cursor', 'boundary')
          return {'1', #entries}
        end
        redis.call('HSET', KEYS[3], 'cursor', entries[#entries][1])
        return {'0', #entries}
        """;

    /// <summary>Forgets the counts so the next reader counts again from the stream (an operator's recount).</summary>
    public const string Reset = """
        redis.call('DEL', KEYS[2], KEYS[3])
        return 1
        """;

    /// <summary>
    /// Removes up to ARGV[2] of the oldest dead letters with ids below ARGV[1], counting each out. Exact (MINID at the
    /// successor of the last one read removes exactly those read: they are the oldest). Returns how many it removed.
    /// </summary>
    public const string TrimOldest = DeadLetterLua.Functions + """
        local entries = redis.call('XRANGE', KEYS[1], '-', '(' .. ARGV[1], 'COUNT', tonumber(ARGV[2]))
        if #entries == 0 then return 0 end
        for _, e in ipairs(entries) do uncount(KEYS[2], KEYS[3], e[1], e[2]) end
        local ms, seq = idparts(entries[#entries][1])
        redis.call('XTRIM', KEYS[1], 'MINID', ms .. '-' .. string.format('%.0f', tonumber(seq) + 1))
        return #entries
        """;

    /// <summary>
    /// Writes one dead letter, its count and its (group, original id) key, and, with a 5th key (the source stream, when
    /// it shares the slot), acknowledges the entry: all in one step. When the key says the entry was dead-lettered
    /// already (a crash came between writing and acknowledging), writes nothing and only acknowledges.
    /// KEYS = [dead-letter stream, counts, counts state, written key, source stream?]; ARGV = [group, entry id,
    /// written key's time to live in ms, count field, the dead letter's fields…]. Returns {1 | 0, dead-letter id}.
    /// </summary>
    public const string Write = """
        local existing = redis.call('GET', KEYS[4])
        if existing then
          if KEYS[5] then redis.call('XACK', KEYS[5], ARGV[1], ARGV[2]) end
          return {0, existing}
        end
        if redis.call('EXISTS', KEYS[3]) == 0 and redis.call('EXISTS', KEYS[1]) == 0 then
          redis.call('DEL', KEYS[2])
          redis.call('HSET', KEYS[3], 'done', '1')
        end
        local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 5))
        redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
        redis.call('SET', KEYS[4], id, 'PX', ARGV[3])
        if KEYS[5] then redis.call('XACK', KEYS[5], ARGV[1], ARGV[2]) end
        return {1, id}
        """;
}
