namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>What <see cref="StreamHealthProbe"/> found for one stream: facts read just now (Redis answers, which groups
/// exist, their pending counts and Redis's own lag) and figures from the latest overview snapshot (a lag Redis cannot
/// tell, the oldest pending entry), with that snapshot's age.</summary>
/// <param name="Stream">The stream checked.</param>
/// <param name="RedisReachable">False when PING or XINFO GROUPS failed; <paramref name="Groups"/> is empty then.
/// </param>
/// <param name="Groups">The groups asked about, in the order asked.</param>
/// <param name="FiguresTakenAt">When the snapshot behind the figures was taken; null when there is none yet (a read
/// has been started in the background).</param>
/// <param name="FiguresAgeSeconds">That snapshot's age when the probe ran; null when there is none.</param>
public sealed record StreamHealth(
    string Stream,
    bool RedisReachable,
    IReadOnlyList<GroupHealth> Groups,
    DateTimeOffset? FiguresTakenAt,
    double? FiguresAgeSeconds)
{
    /// <summary>Whether an overview snapshot backs the figures.</summary>
    public bool FiguresKnown => FiguresTakenAt is not null;
}

/// <summary>One group's health figures.</summary>
/// <param name="Group">The group.</param>
/// <param name="Exists">Whether the group exists now (XINFO GROUPS).</param>
/// <param name="Pending">Entries delivered and not acknowledged, now (XINFO GROUPS); null when the group is missing.
/// </param>
/// <param name="Lag">Entries waiting for the group: Redis's lag now when it reports one, else the snapshot's estimate
/// (<see cref="LagFromSnapshot"/>); null when neither is known. A <see cref="LagSource.AtLeast"/> figure is a lower
/// bound.</param>
/// <param name="LagFromSnapshot">True when <paramref name="Lag"/> is the snapshot's, not read now.</param>
/// <param name="OldestPendingAgeSeconds">Age now of the oldest entry the snapshot found pending, when entries are
/// still pending (an upper bound: it may have been acknowledged since the snapshot); null when nothing is pending now
/// or the snapshot does not know.</param>
public sealed record GroupHealth(
    string Group,
    bool Exists,
    long? Pending,
    LagEstimate? Lag,
    bool LagFromSnapshot,
    double? OldestPendingAgeSeconds);
