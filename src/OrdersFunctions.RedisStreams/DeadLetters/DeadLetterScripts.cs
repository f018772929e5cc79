namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>
/// The Lua scripts of the replay and discard guard. Each runs on the dead-letter stream's cluster slot with
/// KEYS = [outcome key, dead-letter stream, handled-pointer key, counts, counts state]; a script is atomic, so of two
/// concurrent callers exactly one finds no outcome and proceeds, and a removed dead letter leaves the counts in the
/// same step.
/// </summary>
internal static class DeadLetterScripts
{
    // ARGV: [1] dead-letter id, [2] retention ms, [3] new outcome, [4] '1' to take over a stale 'replaying',
    // [5] 'replaying' markers started before this unix ms are stale.
    // Returns {'conflict', current} | {'missing'}, or goes on (with `entry` the dead letter) after setting the outcome.
    private const string Guard = DeadLetterLua.Functions + """
        local current = redis.call('GET', KEYS[1])
        if current then
          local started = string.match(current, '^replaying (%d+)$')
          if not (ARGV[4] == '1' and started and tonumber(started) < tonumber(ARGV[5])) then
            return {'conflict', current}
          end
        end
        local found = redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[1])
        if #found == 0 then
          return {'missing'}
        end
        local entry = found[1]
        redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
        redis.call('SET', KEYS[3], KEYS[1], 'PX', ARGV[2])
        """;

    /// <summary>Step 1 of a replay: claim the dead letter by recording 'replaying &lt;ms&gt;'.</summary>
    public const string BeginReplay = Guard + """
        return {'ok'}
        """;

    /// <summary>A discard in one step: guard, record 'discarded', delete the dead letter and count it out.</summary>
    public const string Discard = Guard + """
        uncount(KEYS[4], KEYS[5], entry[1], entry[2])
        redis.call('XDEL', KEYS[2], ARGV[1])
        return {'ok'}
        """;

    /// <summary>Step 3 of a replay, only if the marker is still ours (a forced takeover of a stale marker makes the
    /// later replayer the owner of the outcome). ARGV: [1] dead-letter id, [2] retention ms,
    /// [3] 'replayed &lt;newId&gt;', [4] our 'replaying' marker. Returns 1 when recorded, 0 when the marker was taken
    /// over.</summary>
    public const string FinishReplay = DeadLetterLua.Functions + """
        if redis.call('GET', KEYS[1]) ~= ARGV[4] then
          return 0
        end
        redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
        redis.call('SET', KEYS[3], KEYS[1], 'PX', ARGV[2])
        local found = redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[1])
        if #found > 0 then
          uncount(KEYS[4], KEYS[5], found[1][1], found[1][2])
          redis.call('XDEL', KEYS[2], ARGV[1])
        end
        return 1
        """;

    /// <summary>Undoes step 1 when step 2 failed, only if the marker is still ours. ARGV: [1] our marker.</summary>
    public const string AbandonReplay = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('DEL', KEYS[1], KEYS[3])
          return 1
        end
        return 0
        """;
}
