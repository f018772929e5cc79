using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Consuming;

/// <summary>
/// One pass over the group's pending entries (XPENDING): claims (XCLAIM) and delivers again this consumer's own
/// entries whose backoff has passed (as the ledger judges them) and any consumer's entries idle for ClaimMinIdle (their
/// consumer is taken to have crashed). Entries at the delivery limit are dead-lettered instead of handled again.
/// </summary>
/// <remarks>
/// It claims no more than the handlers free now can take (at least one): a claimed entry's delivery count goes up at
/// once and its idle time starts again, so entries claimed in bulk and then queued for slots would outlive ClaimMinIdle
/// and be claimed from under this consumer. What is left is claimed by the next pass, which comes within 10 ms.
/// Each XPENDING reads one page of the pending list, in id order, and the entries too fresh to matter are skipped
/// here, not by Redis: XPENDING's IDLE filter would make Redis walk the whole list in one command to fill a page, and
/// a list of 100,000 entries that are all fresh (a consumer that read a large batch and died a moment ago; many live
/// consumers with full batches) held Redis for 7-15 ms per sweep (docs/operations.md, "At scale"). A pass reads a
/// bounded number of pages; when it stops at that bound, the next pass goes on from there, so every entry is reached.
/// </remarks>
internal sealed class ClaimSweep
{
    private const int PendingPageSize = 512;
    private const int MaxPendingPagesPerSweep = 20;

    // An own entry must have been delivered at least this long ago before it is claimed back: the read loop takes a
    // reply into the ledger within microseconds of Redis answering, and this keeps that window closed.
    private static readonly TimeSpan OwnClaimFloor = TimeSpan.FromMilliseconds(50);

    private readonly SubscriberContext _context;
    private readonly DeliveryLedger _ledger;
    private readonly HandlerSlots _slots;
    private readonly Deliveries _deliveries;

    // Where the next pass starts reading the pending list: its start, or after the last entry a pass read when it
    // stopped at MaxPendingPagesPerSweep. Passes run one at a time.
    private RedisValue _resumeFrom = "-";

    public ClaimSweep(SubscriberContext context, DeliveryLedger ledger, HandlerSlots slots, Deliveries deliveries)
    {
        _context = context;
        _ledger = ledger;
        _slots = slots;
        _deliveries = deliveries;
    }

    /// <summary>How long to wait before the next pass: ClaimInterval, or less when a failed entry (here or seen in
    /// Redis) is due sooner; at least 10 ms.</summary>
    public TimeSpan DelayUntilNext(DateTimeOffset? nextDueSeenInRedis)
    {
        var now = _context.Time.GetUtcNow();
        var wakeAt = now + _context.Options.ClaimInterval;
        if (nextDueSeenInRedis < wakeAt)
            wakeAt = nextDueSeenInRedis.Value;
        if (_ledger.EarliestDue(wakeAt) is { } due)
            wakeAt = due;
        var delay = wakeAt - now;
        return delay < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : delay;
    }

    /// <returns>When the earliest own entry not yet due becomes due, if any was seen.</returns>
    public async Task<DateTimeOffset?> RunOnceAsync(CancellationToken stopping)
    {
        var options = _context.Options;
        var now = _context.Time.GetUtcNow();
        DateTimeOffset? nextDue = null;
        var ownFloor = options.RetryBackoffInitial > OwnClaimFloor ? options.RetryBackoffInitial : OwnClaimFloor;
        var idleFilter = ownFloor < options.ClaimMinIdle ? ownFloor : options.ClaimMinIdle;
        var start = _resumeFrom;
        _resumeFrom = "-";
        var budget = Math.Max(1, _slots.Free);
        for (var page = 0; page < MaxPendingPagesPerSweep && budget > 0 && !stopping.IsCancellationRequested; page++)
        {
            var rows = PendingEntry.From(await _context.Database.StreamPendingMessagesAsync(_context.StreamKey,
                _context.Group, PendingPageSize, RedisValue.Null, start, "+").ConfigureAwait(false));
            var sinceLatestRead = _ledger.SinceLatestRead();
            var own = new List<PendingEntry>();
            var others = new List<PendingEntry>();
            foreach (var row in rows)
            {
                if (row.Idle < idleFilter)
                    continue; // too fresh for either kind of claim
                if (row.Consumer != _context.Consumer)
                {
                    if (row.Idle >= options.ClaimMinIdle)
                        others.Add(row);
                    continue;
                }
                var verdict = _ledger.Judge(row, now, sinceLatestRead);
                if (verdict.Action == OwnEntryAction.ClaimNow)
                    own.Add(row);
                else if (verdict.Action == OwnEntryAction.NotYet && (nextDue is null || verdict.DueAt < nextDue))
                    nextDue = verdict.DueAt;
            }
            var capped = Cap(own, ref budget) | Cap(others, ref budget);
            await ClaimAsync(own, OwnMinIdle(own), fromOthers: false, stopping).ConfigureAwait(false);
            await ClaimAsync(others, options.ClaimMinIdle, fromOthers: true, stopping).ConfigureAwait(false);
            if (capped)
            {
                nextDue = now; // more is due than there were free handlers: look again soon
                break;
            }
            if (rows.Length < PendingPageSize)
                break;
            start = "(" + rows[^1].Id;
            if (page == MaxPendingPagesPerSweep - 1)
                _resumeFrom = start;
        }
        _ledger.ForgetStale(now);
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
    /// left for a later pass.</summary>
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

    private async Task ClaimAsync(
        List<PendingEntry> candidates, TimeSpan minIdle, bool fromOthers, CancellationToken stopping)
    {
        if (candidates.Count == 0)
            return;
        var byId = new Dictionary<string, PendingEntry>(candidates.Count, StringComparer.Ordinal);
        var ids = new RedisValue[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            ids[i] = candidates[i].Id;
            byId[candidates[i].Id] = candidates[i];
        }
        var claimed = RawEntry.From(await _context.Database.StreamClaimAsync(_context.StreamKey, _context.Group,
            _context.Consumer, (long)minIdle.TotalMilliseconds, ids).ConfigureAwait(false));

        for (var i = 0; i < claimed.Length; i++)
        {
            var entry = claimed[i];
            var pending = byId[entry.Id];
            byId.Remove(entry.Id);
            if (!_ledger.TryTake(entry.Id))
                continue; // Already being handled here.
            var deliveryCount = pending.Deliveries + 1;
            if (pending.Deliveries >= _context.Options.MaxDeliveries && entry.Fields is not null)
            {
                // Delivered as often as allowed and never acknowledged: give up on it, with the last known reason.
                var (errorType, errorMessage) = _ledger.TryGetLastFailure(entry.Id, out var type, out var message)
                    ? (type, message)
                    : (DeadLetterFields.DeliveryLimitErrorType,
                       $"Delivered {pending.Deliveries} times without being acknowledged; " +
                       "its consumers crashed or timed out while handling it.");
                await _deliveries.DeadLetterAsync(entry, pending.Deliveries, errorType, errorMessage)
                    .ConfigureAwait(false);
                continue;
            }
            if (fromOthers)
            {
                StreamsTelemetry.Claimed.Add(1, _context.Tags);
                Log.Claimed(_context.Logger, entry.Id, _context.Stream, _context.Group, pending.Consumer, pending.Idle,
                    deliveryCount);
            }
            else
            {
                StreamsTelemetry.Retried.Add(1, _context.Tags);
            }
            if (!await _slots.TryTakeAsync(stopping).ConfigureAwait(false))
            {
                for (var j = i; j < claimed.Length; j++)
                    _ledger.Release(claimed[j].Id);
                return;
            }
            _ = _deliveries.RunAsync(entry, deliveryCount);
        }

        // Not returned: either another consumer claimed it first (it exists; leave it), or it was trimmed or deleted
        // (Redis 7 drops it from the PEL; older servers keep it forever): acknowledge so it is not tried again.
        foreach (var missing in byId.Keys)
        {
            var range = await _context.Database.StreamRangeAsync(_context.StreamKey, missing, missing)
                .ConfigureAwait(false);
            if (range.Length > 0)
                continue;
            _ledger.Forget(missing);
            Log.EntryVanished(_context.Logger, missing, _context.Group, _context.Stream);
            await _context.Database.StreamAcknowledgeAsync(_context.StreamKey, _context.Group, missing)
                .ConfigureAwait(false);
        }
    }
}
