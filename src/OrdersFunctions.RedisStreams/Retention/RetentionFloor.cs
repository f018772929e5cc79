using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.Retention;

/// <summary>
/// The id below which entries of a stream may be trimmed. <see cref="SafeId"/> is what every group allows (capped by
/// the minimum age); <see cref="FloorId"/> is what retention trims to, which is higher only when a safety valve forces
/// it.
/// </summary>
/// <param name="FloorId">Trim entries with smaller ids (XTRIM MINID).</param>
/// <param name="HeldBy">The group whose oldest unacknowledged or next unread entry sets the safe floor; null when the
/// minimum-age window sets it (or the stream has no group).</param>
/// <param name="SafeId">The floor that respects every group.</param>
/// <param name="Groups">Each group's own floor: its oldest pending entry or the entry after its last-delivered
/// id.</param>
/// <param name="ValveId">The floor a safety valve demands, or null when none applies.</param>
public sealed record RetentionFloor(string FloorId, string? HeldBy, string SafeId, IReadOnlyList<GroupFloor> Groups,
    string? ValveId)
{
    /// <summary>True when a safety valve raises the floor above what some group allows.</summary>
    public bool ValveApplies => ValveId is not null && StreamIds.IsBefore(SafeId, ValveId);

    /// <summary>The groups that lose unacknowledged entries when trimming to <see cref="FloorId"/>.</summary>
    public IEnumerable<GroupFloor> GroupsBehindFloor => Groups.Where(g => StreamIds.IsBefore(g.FloorId, FloorId));
}

/// <summary>One group's floor: nothing at or after <paramref name="FloorId"/> may be removed for this group.</summary>
/// <param name="Group">The group.</param>
/// <param name="FloorId">min(oldest pending id, successor of last-delivered id).</param>
/// <param name="LastDeliveredId">The group's last-delivered id.</param>
/// <param name="OldestPendingId">The group's oldest pending entry, or null when nothing is pending.</param>
/// <param name="Pending">Entries pending in the group.</param>
public sealed record GroupFloor(
    string Group, string FloorId, string LastDeliveredId, string? OldestPendingId, long Pending);
