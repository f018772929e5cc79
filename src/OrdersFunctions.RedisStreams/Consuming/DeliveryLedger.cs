using System.Collections.Concurrent;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.Consuming;

/// <summary>
/// What one subscriber knows about the entries delivered to it that Redis cannot tell: which it is handling now (in
/// flight), which failed here and when each is due again (retry state), and when the read loop last sent a read (the
/// read clock). The read loop and the claim sweep ask it what they may take; nothing else decides that. Thread-safe.
/// </summary>
/// <remarks>
/// The rules, in one place:
/// <list type="bullet">
/// <item>An entry in flight is never claimed by this subscriber's sweep, and an entry already in flight is not run a
/// second time when it arrives with a read.</item>
/// <item>A failed entry is recorded as failed before it leaves the in-flight set, so the sweep, which looks at the
/// in-flight set first and the retry state second, never sees it in neither.</item>
/// <item>An entry of this consumer that is in neither may still be in the reply of the read that is on its way (the
/// loop marks a reply in flight only once it arrives); the sweep leaves it alone until it is older
/// than that read.</item>
/// </list>
/// </remarks>
internal sealed class DeliveryLedger
{
    // Redis reports idle times in whole milliseconds (up to 1 ms too long), and Redis nodes' clocks differ a little
    // after a failover: an entry must be this much older than the latest read before the sweep takes it as abandoned.
    private static readonly TimeSpan UnmarkedReplyMargin = TimeSpan.FromMilliseconds(100);

    private const long NoReadYet = long.MinValue;

    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RetryState> _retries = new(StringComparer.Ordinal);
    private readonly StreamSubscriberOptions _options;
    private readonly TimeProvider _time;
    private long _latestReadSentAt = NoReadYet;

    public DeliveryLedger(StreamSubscriberOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>
    /// The read loop is about to send a read: entries delivered from now on may be in a reply not yet taken in.
    /// </summary>
    public void ReadSent() => Volatile.Write(ref _latestReadSentAt, _time.GetTimestamp());

    /// <summary>
    /// Takes a read's reply in flight, whole, before any of it is dispatched. An entry already in flight was claimed by
    /// the sweep meanwhile (its delivery handles it): it is cleared here (left <c>default</c>) so
    /// it does not run twice.
    /// </summary>
    /// <returns>How many entries were cleared.</returns>
    public int TakeReply(RawEntry[] entries)
    {
        var cleared = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            if (_inFlight.TryAdd(entries[i].Id, 0))
                continue;
            entries[i] = default;
            cleared++;
        }
        return cleared;
    }

    /// <summary>Takes one claimed entry in flight; false when it already is (it is being handled here).</summary>
    public bool TryTake(string entryId) => _inFlight.TryAdd(entryId, 0);

    /// <summary>
    /// The entry is no longer in flight here: acknowledged, left pending for shutdown, or given up after a bug.
    /// </summary>
    public void Release(string entryId) => _inFlight.TryRemove(entryId, out _);

    /// <summary>The entries were acknowledged: neither in flight nor waiting for a retry any more.</summary>
    public void Acknowledged(IEnumerable<string> entryIds)
    {
        foreach (var id in entryIds)
        {
            _inFlight.TryRemove(id, out _);
            if (!_retries.IsEmpty)
                _retries.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// A delivery failed: records when the entry is due again and why, then releases it, in that order (see the class
    /// remarks), so the sweep delivers it again once it is due.
    /// </summary>
    public void Failed(string entryId, DateTimeOffset dueAt, string errorType, string errorMessage)
    {
        _retries[entryId] = new RetryState(dueAt, errorType, errorMessage);
        _inFlight.TryRemove(entryId, out _);
    }

    /// <summary>The entry will not be retried here (dead-lettered, or vanished): forget its retry state.</summary>
    public void Forget(string entryId) => _retries.TryRemove(entryId, out _);

    /// <summary>The last failure recorded here for the entry, if any: the reason a dead letter gives.</summary>
    public bool TryGetLastFailure(string entryId, out string errorType, out string errorMessage)
    {
        if (_retries.TryGetValue(entryId, out var state))
        {
            (errorType, errorMessage) = (state.ErrorType, state.ErrorMessage);
            return true;
        }
        (errorType, errorMessage) = ("", "");
        return false;
    }

    /// <summary>How long ago the latest read was sent, taken now; null before the first read.</summary>
    public TimeSpan? SinceLatestRead()
    {
        var sentAt = Volatile.Read(ref _latestReadSentAt);
        return sentAt == NoReadYet ? null : _time.GetElapsedTime(sentAt);
    }

    /// <summary>
    /// What the sweep may do with a pending entry of this consumer that XPENDING reported.
    /// <paramref name="sinceLatestRead"/> is <see cref="SinceLatestRead"/> taken after XPENDING answered (so it
    /// overstates the time since the read, never understates it).
    /// </summary>
    public OwnEntryVerdict Judge(PendingEntry row, DateTimeOffset now, TimeSpan? sinceLatestRead)
    {
        if (_inFlight.ContainsKey(row.Id))
            return OwnEntryVerdict.Leave;
        var failedHere = _retries.TryGetValue(row.Id, out var state);
        if (!failedHere && MayBeInAnUnmarkedReply(row, sinceLatestRead))
            return OwnEntryVerdict.Leave;
        // Not failed here (a retry state that expired, a dispatch that threw, or an earlier run of this consumer name):
        // due after the backoff its delivery count calls for, counted from its last delivery.
        var due = failedHere ? state!.DueAt : now - row.Idle + _options.BackoffBefore(row.Deliveries + 1);
        return due > now ? OwnEntryVerdict.NotYet(due) : OwnEntryVerdict.ClaimNow;
    }

    /// <summary>The earliest time a failed entry is due, if before <paramref name="before"/>.</summary>
    public DateTimeOffset? EarliestDue(DateTimeOffset before)
    {
        DateTimeOffset? earliest = null;
        foreach (var retry in _retries)
        {
            if (retry.Value.DueAt < before && (earliest is null || retry.Value.DueAt < earliest))
                earliest = retry.Value.DueAt;
        }
        return earliest;
    }

    /// <summary>
    /// Drops retry states long past due: a state outlives its entry only when another consumer took the entry over (and
    /// acknowledged or dead-lettered it there).
    /// </summary>
    public void ForgetStale(DateTimeOffset now)
    {
        var horizon = _options.ClaimMinIdle + _options.RetryBackoffMax + TimeSpan.FromMinutes(1);
        foreach (var retry in _retries)
        {
            if (retry.Value.DueAt + horizon < now)
                _retries.TryRemove(retry.Key, out _);
        }
    }

    /// <summary>
    /// True when the row may have come with the latest read, whose reply the loop may not have taken in yet (a stalled
    /// continuation, a GC pause). Claiming it would cost it a delivery it never failed, and could run it twice. Only
    /// the read loop delivers to this consumer outside the sweep, one read at a time, so an entry delivered well before
    /// the latest read was sent is truly abandoned. Durations are compared (Redis's idle time against this process's
    /// monotonic clock), so a wall-clock step changes nothing.
    /// </summary>
    private static bool MayBeInAnUnmarkedReply(PendingEntry row, TimeSpan? sinceLatestRead) =>
        sinceLatestRead is { } elapsed && row.Idle <= elapsed + UnmarkedReplyMargin;

    private sealed record RetryState(DateTimeOffset DueAt, string ErrorType, string ErrorMessage);
}

/// <summary>The ledger's answer for one pending entry of this consumer.</summary>
internal readonly record struct OwnEntryVerdict(OwnEntryAction Action, DateTimeOffset DueAt)
{
    public static OwnEntryVerdict Leave => new(OwnEntryAction.Leave, default);

    public static OwnEntryVerdict ClaimNow => new(OwnEntryAction.ClaimNow, default);

    public static OwnEntryVerdict NotYet(DateTimeOffset due) => new(OwnEntryAction.NotYet, due);
}

/// <summary>What the sweep does with a pending entry of this consumer.</summary>
internal enum OwnEntryAction
{
    /// <summary>In flight, or maybe in the reply on its way: not the sweep's.</summary>
    Leave,

    /// <summary>Due again only at <see cref="OwnEntryVerdict.DueAt"/>.</summary>
    NotYet,

    /// <summary>Due: claim it back and deliver it again.</summary>
    ClaimNow,
}
