namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>
/// The Lua scripts of the expected-state guard. Each runs on the dead-letter stream's cluster slot with
/// KEYS = [outcome key, dead-letter stream, handled-pointer key]; a script is atomic, so of two concurrent callers
/// exactly one finds no outcome and proceeds.
/// </summary>
internal static class DeadLetterScripts
{
    // ARGV: [1] dead-letter id, [2] retention ms, [3] new outcome, [4] '1' to take over a stale 'replaying',
    // [5] 'replaying' markers started before this unix ms are stale.
    // Returns {'conflict', current} | {'missing'} | {'ok'} after setting the outcome and the pointer.
    private const string Guard = """
        local current = redis.call('GET', KEYS[1])
        if current then
          local started = string.match(current, '^replaying (%d+)$')
          if not (ARGV[4] == '1' and started and tonumber(started) < tonumber(ARGV[5])) then
            return {'conflict', current}
          end
        end
        if #redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[1]) == 0 then
          return {'missing'}
        end
        redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
        redis.call('SET', KEYS[3], KEYS[1], 'PX', ARGV[2])
        """;

    /// <summary>Step 1 of a replay: claim the dead letter by recording 'replaying &lt;ms&gt;'.</summary>
    public const string BeginReplay = Guard + """
        return {'ok'}
        """;

    /// <summary>A discard in one step: guard, record 'discarded', delete the dead letter.</summary>
    public const string Discard = Guard + """
        redis.call('XDEL', KEYS[2], ARGV[1])
        return {'ok'}
        """;

    /// <summary>Step 3 of a replay, only if the marker is still ours (a forced takeover of a stale marker makes the
    /// later replayer the owner of the outcome). ARGV: [1] dead-letter id, [2] retention ms, [3] 'replayed &lt;newId&gt;',
    /// [4] our 'replaying' marker. Returns 1 when recorded, 0 when the marker was taken over.</summary>
    public const string FinishReplay = """
        if redis.call('GET', KEYS[1]) ~= ARGV[4] then
          return 0
        end
        redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
        redis.call('SET', KEYS[3], KEYS[1], 'PX', ARGV[2])
        redis.call('XDEL', KEYS[2], ARGV[1])
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
