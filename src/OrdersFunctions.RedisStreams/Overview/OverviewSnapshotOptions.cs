namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>How often <see cref="OverviewSnapshots"/> may read Redis, and how long it keeps a snapshot warm for
/// readers.</summary>
public sealed class OverviewSnapshotOptions
{
    /// <summary>The default of <see cref="MinInterval"/>: the ops page polls every 2 s.</summary>
    public static readonly TimeSpan DefaultMinInterval = TimeSpan.FromSeconds(2);

    /// <summary>The default of <see cref="ReaderInterest"/>.</summary>
    public static readonly TimeSpan DefaultReaderInterest = TimeSpan.FromSeconds(10);

    /// <summary>At most one read of Redis starts per this interval, whatever readers ask for (a reader asking for a
    /// younger snapshot gets one up to this old). Also how long a failed read answers for itself before another is
    /// tried.</summary>
    public TimeSpan MinInterval { get; set; } = DefaultMinInterval;

    /// <summary>After a reader asked for a snapshot no older than some age, the snapshot is refreshed in the
    /// background at that age for this long, so that a reader polling at that rate finds one ready instead of waiting
    /// for Redis. Zero: only gauges (<see cref="OverviewSnapshots.KeepFresh"/>) refresh in the background.</summary>
    public TimeSpan ReaderInterest { get; set; } = DefaultReaderInterest;

    internal void Validate()
    {
        if (MinInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MinInterval), MinInterval,
                "The overview's minimum interval must be positive, e.g. 00:00:02.");
        if (ReaderInterest < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(ReaderInterest), ReaderInterest,
                "The overview's reader interest cannot be negative; 00:00:00 turns it off.");
    }
}
