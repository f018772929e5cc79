using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Consuming;

/// <summary>
/// Removes the group's dead consumers: other consumers idle longer than ConsumerIdleTimeout that hold no entries and
/// were not seen within the timeout either. Runs from the subscriber's sweep at most every
/// <c>min(ConsumerIdleTimeout / 2, 1 min)</c> (at least every ClaimInterval), and each run also records this consumer
/// as seen. Housekeeping: a failure is logged and never stops the subscriber.
/// </summary>
internal sealed class ConsumerCleanup(SubscriberContext context)
{
    // In one atomic step: records this consumer as seen now (KEYS[2], when given), then removes other consumers that
    // are idle past the timeout, hold no entries and were not seen within the timeout either, so a consumer that reads
    // between the check and the delete cannot lose the entries it just took. The "seen" record is needed because Redis
    // before 7.2 resets a consumer's idle time only when it receives entries (checked on 7.0.15: empty XREADGROUP and
    // XCLAIM leave it growing), so a live consumer of a quiet stream looks dead by idle time alone.
    private const string DeleteIdleConsumersScript = """
        local timeout = tonumber(ARGV[3])
        local seen = KEYS[2]
        local now = 0
        if seen then
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
          redis.call('HSET', seen, ARGV[2], now)
          redis.call('PEXPIRE', seen, timeout * 3)
        end
        local consumers = redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
        local deleted = {}
        for _, c in ipairs(consumers) do
          local name, pending, idle
          for i = 1, #c, 2 do
            if c[i] == 'name' then name = c[i + 1]
            elseif c[i] == 'pending' then pending = c[i + 1]
            elseif c[i] == 'idle' then idle = c[i + 1] end
          end
          if name ~= ARGV[2] and pending == 0 and idle > timeout then
            local lastSeen = seen and tonumber(redis.call('HGET', seen, name) or '0') or 0
            if now - lastSeen > timeout then
              redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], name)
              if seen then redis.call('HDEL', seen, name) end
              deleted[#deleted + 1] = name
            end
          end
        end
        return deleted
        """;

    private DateTimeOffset _nextRun;

    public async Task RunIfDueAsync()
    {
        var options = context.Options;
        var now = context.Time.GetUtcNow();
        if (now < _nextRun)
            return;
        _nextRun = now + options.SeenRecordInterval;
        RedisResult result;
        try
        {
            var seenKey = StreamKeys.ConsumersSeen(context.Stream, context.Group);
            RedisKey[] keys = seenKey is null ? [context.StreamKey] : [context.StreamKey, seenKey];
            result = await context.Database.ScriptEvaluateAsync(DeleteIdleConsumersScript, keys,
                [context.Group, context.Consumer, (long)options.ConsumerIdleTimeout.TotalMilliseconds])
                .ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (!RedisErrors.IsNoGroup(ex) && !RedisErrors.IsTransient(ex))
        {
            // E.g. scripting disabled by the provider: cleanup is housekeeping, never worth failing the sweep for.
            Log.ConsumerCleanupFailed(context.Logger, context.Group, context.Stream, ex.Message);
            return;
        }
        foreach (var name in (string?[]?)result ?? [])
        {
            if (name is not null)
                Log.ConsumerDeleted(context.Logger, name, context.Group, context.Stream, options.ConsumerIdleTimeout);
        }
    }
}
