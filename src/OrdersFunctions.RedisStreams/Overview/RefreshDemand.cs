namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>
/// Who needs the snapshot kept fresh in the background, and how fresh: holders of a
/// <see cref="OverviewSnapshots.KeepFresh"/> lease (gauges) for as long as they hold it, and readers for a while after
/// they asked (<see cref="OverviewSnapshotOptions.ReaderInterest"/>). Thread-safe.
/// </summary>
internal sealed class RefreshDemand(TimeSpan readerInterest)
{
    private readonly object _gate = new();
    private readonly List<TimeSpan> _leases = [];
    private readonly Dictionary<TimeSpan, DateTimeOffset> _askedAt = [];

    /// <summary>Adds a lease; returns true when it asks for fresher figures than before (the loop should look
    /// again).</summary>
    public bool AddLease(TimeSpan interval)
    {
        lock (_gate)
        {
            var before = MinLease();
            _leases.Add(interval);
            return before is null || interval < before;
        }
    }

    public void RemoveLease(TimeSpan interval)
    {
        lock (_gate)
            _leases.Remove(interval);
    }

    /// <summary>Notes that a reader asked for figures no older than <paramref name="maxAge"/>; returns true when nobody
    /// wanted them that fresh a moment ago (the loop should look again).</summary>
    public bool NoteReader(TimeSpan maxAge, DateTimeOffset now)
    {
        if (readerInterest <= TimeSpan.Zero)
            return false;
        lock (_gate)
        {
            var before = WantedLocked(now).Interval;
            _askedAt[maxAge] = now;
            return before is null || maxAge < before;
        }
    }

    /// <summary>The freshness wanted now (null: nobody needs the background), and when that may next change by
    /// itself (a reader's interest lapsing; null: not by itself).</summary>
    public (TimeSpan? Interval, DateTimeOffset? ChangesAt) Wanted(DateTimeOffset now)
    {
        lock (_gate)
            return WantedLocked(now);
    }

    private (TimeSpan? Interval, DateTimeOffset? ChangesAt) WantedLocked(DateTimeOffset now)
    {
        var wanted = MinLease();
        DateTimeOffset? changesAt = null;
        List<TimeSpan>? lapsed = null;
        foreach (var (maxAge, askedAt) in _askedAt)
        {
            var until = askedAt + readerInterest;
            if (until <= now)
            {
                (lapsed ??= []).Add(maxAge);
                continue;
            }
            if (wanted is null || maxAge < wanted)
                wanted = maxAge;
            if (changesAt is null || until < changesAt)
                changesAt = until;
        }
        foreach (var maxAge in lapsed ?? [])
            _askedAt.Remove(maxAge);
        return (wanted, changesAt);
    }

    private TimeSpan? MinLease() => _leases.Count == 0 ? null : _leases.Min();
}
