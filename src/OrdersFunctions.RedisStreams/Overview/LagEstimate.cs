namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>Where a <see cref="LagEstimate"/> came from, from the most to the least exact.</summary>
public enum LagSource
{
    /// <summary>XINFO GROUPS <c>lag</c>, as Redis reported it.</summary>
    Reported,

    /// <summary>Redis reported no lag: XINFO STREAM <c>entries-added</c> − XINFO GROUPS
    /// <c>entries-read</c>.</summary>
    Counters,

    /// <summary>Neither: the entries after the group's last-delivered id, counted in full.</summary>
    Counted,

    /// <summary>Counted up to a limit that was reached: the lag is at least
    /// <see cref="LagEstimate.Entries"/>.</summary>
    AtLeast,
}

/// <summary>
/// The entries of a stream not yet delivered to a consumer group, bounded on every path, so a reader that runs on a
/// timer (scale monitors, gauges, the overview) never takes the whole stream for the backlog nor scans it:
/// <list type="number">
/// <item>Redis's <c>lag</c> when it reports one;</item>
/// <item>else <c>entries-added − entries-read</c> when both are known: Redis answers a nil lag when entries after the
/// group's position were deleted (XDEL), and then that difference still counts the deleted ones;</item>
/// <item>else a count of the entries after the group's last-delivered id, stopped at a limit and then reported as
/// "at least N" (a group created or set at an id inside the stream has no counter until it catches up);</item>
/// <item>and never more than XLEN: on Redis 7.0 both the reported lag and the difference of counters also count entries
/// trimmed before the group read them (fixed only in Redis 8.0, redis#13473), and no more entries than the stream
/// holds can be waiting.</item>
/// </list>
/// </summary>
/// <param name="Entries">The lag in entries (a lower bound when <see cref="IsLowerBound"/>).</param>
/// <param name="Source">Which rule gave it.</param>
public readonly record struct LagEstimate(long Entries, LagSource Source)
{
    /// <summary>True when the count stopped at its limit: the lag is at least <see cref="Entries"/>.</summary>
    public bool IsLowerBound => Source == LagSource.AtLeast;

    /// <summary>The estimate from the counters Redis reports, or null when only a count can tell.</summary>
    /// <param name="reportedLag">XINFO GROUPS <c>lag</c> (null when Redis cannot tell, and before Redis 7).</param>
    /// <param name="entriesAdded">XINFO STREAM <c>entries-added</c> (null when not read or before Redis 7).</param>
    /// <param name="entriesRead">XINFO GROUPS <c>entries-read</c> (null when Redis has no valid counter).</param>
    /// <param name="streamLength">XLEN.</param>
    public static LagEstimate? FromCounters(long? reportedLag, long? entriesAdded, long? entriesRead, long streamLength)
    {
        var length = Math.Max(0, streamLength);
        if (reportedLag is { } reported)
            return new LagEstimate(Clamp(reported, length), LagSource.Reported);
        if (entriesAdded is { } added && entriesRead is { } read)
            return new LagEstimate(Clamp(added - read, length), LagSource.Counters);
        return null;
    }

    /// <summary>The estimate from counting the entries after the group's last-delivered id, where the count stopped
    /// at <paramref name="countLimit"/> or at the stream's end.</summary>
    public static LagEstimate FromCount(long counted, int countLimit, long streamLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(countLimit);
        var entries = Clamp(Math.Min(counted, countLimit), Math.Max(0, streamLength));
        return new LagEstimate(entries, counted >= countLimit ? LagSource.AtLeast : LagSource.Counted);
    }

    /// <summary>"1,234", or "≥ 10,000" for a lower bound.</summary>
    public override string ToString() =>
        IsLowerBound ? $"≥ {Entries.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}"
            : Entries.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    private static long Clamp(long value, long streamLength) => Math.Clamp(value, 0, streamLength);
}
