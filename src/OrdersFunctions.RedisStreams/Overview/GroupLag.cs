namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>
/// One consumer group's backlog as read by <see cref="GroupLagReader"/>: what waits to be delivered
/// (<see cref="Lag"/>, bounded) and what was delivered but not yet acknowledged (<see cref="Pending"/>).
/// </summary>
/// <param name="Stream">The stream key.</param>
/// <param name="Group">The consumer group.</param>
/// <param name="Lag">Entries not yet delivered to the group, never more than <see cref="StreamLength"/>.</param>
/// <param name="Pending">Entries delivered and not acknowledged (XINFO GROUPS <c>pending</c>).</param>
/// <param name="EntriesRead">XINFO GROUPS <c>entries-read</c>: a counter of the entries the group has read, or
/// null when Redis keeps none (before Redis 7, or a group set to an id inside the stream).</param>
/// <param name="LastDeliveredId">The group's last-delivered id.</param>
/// <param name="StreamLength">XLEN.</param>
/// <param name="Consumers">Consumers registered in the group, live or not.</param>
public sealed record GroupLag(
    string Stream,
    string Group,
    LagEstimate Lag,
    long Pending,
    long? EntriesRead,
    string LastDeliveredId,
    long StreamLength,
    long Consumers)
{
    /// <summary>The work waiting for the group: <see cref="Lag"/> + <see cref="Pending"/>.</summary>
    public long Backlog => Lag.Entries + Pending;
}
