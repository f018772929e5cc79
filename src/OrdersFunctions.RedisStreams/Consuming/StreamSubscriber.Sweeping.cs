using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Consuming;

public sealed partial class StreamSubscriber
{
    private const int PendingPageSize = 512;
    private const int MaxPendingPagesPerSweep = 20;

    // An own entry must have been delivered at least this long ago before the sweep claims it back: the read loop
    // marks a batch in flight within microseconds of Redis answering, and this keeps that window closed.
    private static readonly TimeSpan OwnClaimFloor = TimeSpan.FromMilliseconds(50);

    // See MayBeInAnUnmarkedReply.
    private static readonly TimeSpan UnmarkedReplyMargin = TimeSpan.FromMilliseconds(100);

    // _latestReadSentAt before the first read: no reply can be outstanding.
    private const long NoReadYet = long.MinValue;

    // In one atomic step: records this consumer as seen now (KEYS[2], when given), then removes other consumers that are
    // idle past the timeout, hold no entries and were not seen within the timeout either, so a consumer that reads
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

    private DateTimeOffset _nextConsumerCleanup;

    /// <summary>
    /// Every ClaimInterval, or sooner when a failed entry is due: looks at the group's pending entries (XPENDING) and
    /// claims (XCLAIM) those of this consumer whose backoff has passed and those of any consumer idle for ClaimMinIdle.
    /// Entries at the delivery limit are dead-lettered instead of handled again.
    /// </summary>
    private async Task SweepLoopAsync(CancellationToken stopping)
    {
        var nextDue = (DateTimeOffset?)null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _sweepWake.WaitAsync(DelayUntilNextSweep(nextDue), stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                nextDue = await SweepOnceAsync(stopping).ConfigureAwait(false);
                await CleanUpConsumersIfDueAsync().ConfigureAwait(false);
                await _retention.RunIfDueAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (RedisErrors.IsNoGroup(ex))
            {
                await TryAsync(RecreateGroupAsync, "create group", stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisErrors.IsTransient(ex))
            {
                _outage.Failed(ex, "claim");
            }
            catch (Exception ex)
            {
                Log.UnexpectedError(_logger, ex, "claim sweep", _stream, _group);
            }
        }
    }

    private TimeSpan DelayUntilNextSweep(DateTimeOffset? nextDueSeenInRedis)
    {
        var now = _time.GetUtcNow();
        var wakeAt = now + _options.ClaimInterval;
        if (nextDueSeenInRedis < wakeAt)
            wakeAt = nextDueSeenInRedis.Value;
        foreach (var retry in _retries)
        {
            if (retry.Value.DueAt < wakeAt)
                wakeAt = retry.Value.DueAt;
        }
        var delay = wakeAt - now;
        return delay < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : delay;
    }

    /// <returns>When the earliest own entry not yet due becomes due, if any was seen.</returns>
    private async Task<DateTimeOffset?> SweepOnceAsync(CancellationToken stopping)
    {
        var now = _time.GetUtcNow();
        DateTimeOffset? nextDue = null;
        var ownFloor = _options.RetryBackoffInitial > OwnClaimFloor ? _options.RetryBackoffInitial : OwnClaimFloor;
        var idleFilter = ownFloor < _options.ClaimMinIdle ? ownFloor : _options.ClaimMinIdle;
        var start = "-";
        // Claim no more than the handlers free now can take (at least one): a claimed entry's delivery count goes up at
        // once and its idle time starts again, so entries claimed in bulk and then queued for slots would outlive
        // ClaimMinIdle and be claimed from under this consumer (a failed batch makes up to MaxBatchSize entries due
        // together). What is left is claimed by the next sweep, which comes within 10 ms while a retry is due.
        var budget = Math.Max(1, _slots.CurrentCount);
        for (var page = 0; page < MaxPendingPagesPerSweep && budget > 0 && !stopping.IsCancellationRequested; page++)
        {
            var reply = await _database.ExecuteAsync("XPENDING", _streamKey, _group,
                "IDLE", (long)idleFilter.TotalMilliseconds, start, "+", PendingPageSize).ConfigureAwait(false);
            var rows = StreamReplies.ParsePending(reply);
            // Both taken after XPENDING answered, so this overstates how long ago the latest read was sent, never less.
            var latestReadSentAt = Volatile.Read(ref _latestReadSentAt);
            var sinceLatestRead = latestReadSentAt == NoReadYet ? (TimeSpan?)null : _time.GetElapsedTime(latestReadSentAt);
            var own = new List<PendingEntry>();
            var others = new List<PendingEntry>();
            foreach (var row in rows)
            {
                if (row.Consumer == _consumer)
                {
                    if (_inFlight.ContainsKey(row.Id))
                        continue;
                    var failedHere = _retries.TryGetValue(row.Id, out var state);
                    if (!failedHere && MayBeInAnUnmarkedReply(row, sinceLatestRead))
                        continue;
                    var due = failedHere
                        ? state!.DueAt
                        : now - row.Idle + _options.BackoffBefore(row.Deliveries + 1);
                    if (due > now)
                    {
                        if (nextDue is null || due < nextDue)
                            nextDue = due;
                        continue;
                    }
                    own.Add(row);
                }
                else if (row.Idle >= _options.ClaimMinIdle)
                {
                    others.Add(row);
                }
            }
            var capped = Cap(own, ref budget) | Cap(others, ref budget);
            await ClaimAsync(own, OwnMinIdle(own), fromOthers: false, stopping).ConfigureAwait(false);
            await ClaimAsync(others, _options.ClaimMinIdle, fromOthers: true, stopping).ConfigureAwait(false);
            if (capped)
            {
                nextDue = now; // more is due than there were free handlers: look again soon
                break;
            }
            if (rows.Length < PendingPageSize)
                break;
            start = "(" + rows[^1].Id;
        }
        ForgetStaleRetries(now);
        return nextDue;
    }

    /// <summary>
    /// The min-idle for claiming back this consumer's own entries: the least idle time XPENDING just reported for them.
    /// Another consumer that claimed one of them since then reset its idle time, so it fails this check unless even
    /// longer has passed since; a fixed floor would let a slow sweep take an entry from the consumer now running it.
    /// </summary>
    private static TimeSpan OwnMinIdle(List<PendingEntry> own)
    {
        var least = TimeSpan.MaxValue;
        foreach (var row in own)
        {
            if (row.Idle < least)
                least = row.Idle;
        }
        return least == TimeSpan.MaxValue || least < OwnClaimFloor ? OwnClaimFloor : least;
    }

    /// <summary>Keeps at most <paramref name="budget"/> candidates and takes them off the budget; true when some were
    /// left for a later sweep.</summary>
    private static bool Cap(List<PendingEntry> candidates, ref int budget)
    {
        var dropped = false;
        if (candidates.Count > budget)
        {
            candidates.RemoveRange(budget, candidates.Count - budget);
            dropped = true;
        }
        budget -= candidates.Count;
        return dropped;
    }

    /// <summary>
    /// True when <paramref name="row"/> may have come with the read loop's latest XREADGROUP, whose reply the loop may
    /// not have marked in flight yet (a stalled continuation, a GC pause). Claiming it then would cost it a delivery it
    /// never failed, and if the claimed run were acknowledged before the stalled reply is taken in, run it twice; so it
    /// waits for the next sweep. Only the read loop delivers to this consumer outside the sweep, with one read
    /// outstanding at a time, so an unmarked entry delivered well before that read was sent is truly abandoned (a
    /// failure whose retry state expired, a dispatch that threw, or an earlier run of this consumer name).
    /// </summary>
    /// <remarks>
    /// The comparison is of durations: the entry's idle time (Redis's clock) against the time since the read was sent
    /// (this process's monotonic clock), so a wall-clock step here changes nothing. <see cref="UnmarkedReplyMargin"/>
    /// covers Redis reporting idle in whole milliseconds (up to 1 ms too long) and modest clock differences between
    /// Redis nodes after a failover; its only cost is that an abandoned entry delivered just before the latest read
    /// waits for a later sweep.
    /// </remarks>
    private static bool MayBeInAnUnmarkedReply(PendingEntry row, TimeSpan? sinceLatestRead) =>
        sinceLatestRead is { } elapsed && row.Idle <= elapsed + UnmarkedReplyMargin;

    private async Task ClaimAsync(List<PendingEntry> candidates, TimeSpan minIdle, bool fromOthers, CancellationToken stopping)
    {
        if (candidates.Count == 0)
            return;
        var args = new List<object>(4 + candidates.Count) { _streamKey, _group, _consumer, (long)minIdle.TotalMilliseconds };
        var byId = new Dictionary<string, PendingEntry>(candidates.Count, StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            args.Add(candidate.Id);
            byId[candidate.Id] = candidate;
        }
        var claimed = StreamReplies.ParseEntries(await _database.ExecuteAsync("XCLAIM", args).ConfigureAwait(false));

        for (var i = 0; i < claimed.Length; i++)
        {
            var entry = claimed[i];
            var pending = byId[entry.Id];
            byId.Remove(entry.Id);
            if (!_inFlight.TryAdd(entry.Id, 0))
                continue; // Already being handled here.
            var deliveryCount = pending.Deliveries + 1;
            if (pending.Deliveries >= _options.MaxDeliveries && entry.Fields is not null)
            {
                // Delivered as often as allowed and never acknowledged: give up on it, with the last known reason.
                var reason = _retries.TryGetValue(entry.Id, out var state)
                    ? (state.ErrorType, state.ErrorMessage)
                    : (DeadLetterFields.DeliveryLimitErrorType,
                       $"Delivered {pending.Deliveries} times without being acknowledged; its consumers crashed or timed out while handling it.");
                await DeadLetterAsync(entry, pending.Deliveries, reason.Item1, reason.Item2).ConfigureAwait(false);
                continue;
            }
            if (fromOthers)
            {
                StreamsTelemetry.Claimed.Add(1, _tags);
                Log.Claimed(_logger, entry.Id, _stream, _group, pending.Consumer, pending.Idle, deliveryCount);
            }
            else
            {
                StreamsTelemetry.Retried.Add(1, _tags);
            }
            if (!await TryTakeSlotAsync(stopping).ConfigureAwait(false))
            {
                for (var j = i; j < claimed.Length; j++)
                    _inFlight.TryRemove(claimed[j].Id, out _);
                return;
            }
            _ = RunAsync(entry, deliveryCount);
        }

        // Not returned: either another consumer claimed it first (it exists; leave it), or it was trimmed or deleted
        // (Redis 7 drops it from the PEL; older servers keep it forever): acknowledge so it is not tried again.
        foreach (var missing in byId.Keys)
        {
            var range = await _database.ExecuteAsync("XRANGE", _streamKey, missing, missing).ConfigureAwait(false);
            if (StreamReplies.ParseEntries(range).Length > 0)
                continue;
            _retries.TryRemove(missing, out _);
            Log.EntryVanished(_logger, missing, _group, _stream);
            await _database.StreamAcknowledgeAsync(_streamKey, _group, missing).ConfigureAwait(false);
        }
    }

    private void ForgetStaleRetries(DateTimeOffset now)
    {
        // A retry state outlives its entry only when another consumer took the entry over; drop it eventually.
        var horizon = _options.ClaimMinIdle + _options.RetryBackoffMax + TimeSpan.FromMinutes(1);
        foreach (var retry in _retries)
        {
            if (retry.Value.DueAt + horizon < now)
                _retries.TryRemove(retry.Key, out _);
        }
    }

    private async Task CleanUpConsumersIfDueAsync()
    {
        var now = _time.GetUtcNow();
        if (now < _nextConsumerCleanup)
            return;
        var interval = _options.ConsumerIdleTimeout / 2;
        if (interval < _options.ClaimInterval) interval = _options.ClaimInterval;
        if (interval > TimeSpan.FromMinutes(1)) interval = TimeSpan.FromMinutes(1);
        _nextConsumerCleanup = now + interval;
        RedisResult result;
        try
        {
            var seenKey = StreamKeys.ConsumersSeen(_stream, _group);
            RedisKey[] keys = seenKey is null ? [_streamKey] : [_streamKey, seenKey];
            result = await _database.ScriptEvaluateAsync(DeleteIdleConsumersScript, keys,
                [_group, _consumer, (long)_options.ConsumerIdleTimeout.TotalMilliseconds]).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (!RedisErrors.IsNoGroup(ex) && !RedisErrors.IsTransient(ex))
        {
            // E.g. scripting disabled by the provider: cleanup is housekeeping, never worth failing the sweep for.
            Log.ConsumerCleanupFailed(_logger, _group, _stream, ex.Message);
            return;
        }
        foreach (var name in (string?[]?)result ?? [])
        {
            if (name is not null)
                Log.ConsumerDeleted(_logger, name, _group, _stream, _options.ConsumerIdleTimeout);
        }
    }
}
