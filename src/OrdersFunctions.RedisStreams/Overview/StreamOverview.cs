using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Retention;

namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>Which stream the overview reads, and the settings its figures are judged by.</summary>
/// <param name="Stream">The stream key.</param>
/// <param name="DeadLetterStream">Its dead-letter stream; null for <c>{Stream}:dead-letter</c>.</param>
/// <param name="Policy">The retention policy in effect (for the floor and the settings shown); null for the defaults.</param>
/// <param name="ClaimMinIdle">A consumer seen within this is alive; null for the engine default.</param>
/// <param name="CountDeadLetters">Whether to count each group's dead letters (a bounded scan of the dead-letter stream);
/// when false, <see cref="GroupOverview.DeadLetters"/> is null.</param>
public sealed record StreamOverviewRequest(string Stream, string? DeadLetterStream = null, RetentionPolicy? Policy = null,
    TimeSpan? ClaimMinIdle = null, bool CountDeadLetters = true)
{
    public string EffectiveDeadLetterStream => string.IsNullOrWhiteSpace(DeadLetterStream) ? StreamSubscriberOptions.DefaultDeadLetterStream(Stream) : DeadLetterStream;
}

/// <summary>One stream at one moment: its size, retention floor, dead letters and groups.</summary>
/// <param name="Name">The stream key.</param>
/// <param name="Length">Entries in the stream (XLEN).</param>
/// <param name="FirstId">The oldest entry's id; null when empty.</param>
/// <param name="LastId">The newest entry's id; null when empty.</param>
/// <param name="OldestEntryAgeSeconds">Age of the oldest entry, by its id; null when empty.</param>
/// <param name="Retention">The retention floor now and the policy behind it.</param>
/// <param name="DeadLetterStream">The dead-letter stream's key.</param>
/// <param name="DeadLetterLength">Entries in the dead-letter stream.</param>
/// <param name="DeadLetterLastId">The newest dead letter's id; null when there is none. With the length, it tells a
/// reader whether the dead letters changed: a new one changes the id, a discarded or trimmed one the length.</param>
/// <param name="Groups">Every consumer group of the stream (ours or anyone's).</param>
/// <param name="Exists">False when the stream key does not exist (every figure is then zero or null).</param>
public sealed record StreamOverview(
    string Name,
    bool Exists,
    long Length,
    string? FirstId,
    string? LastId,
    double? OldestEntryAgeSeconds,
    RetentionOverview Retention,
    string DeadLetterStream,
    long DeadLetterLength,
    string? DeadLetterLastId,
    IReadOnlyList<GroupOverview> Groups);

/// <summary>The retention floor now and the settings it follows.</summary>
/// <param name="FloorId">Entries below this id may be trimmed; null when the stream does not exist.</param>
/// <param name="HeldBy">The group that holds the floor down; null when the minimum-age window sets it.</param>
/// <param name="MinAgeSeconds">The policy's minimum age.</param>
/// <param name="MaxAgeSeconds">The safety valve's maximum age; null when off.</param>
/// <param name="MaxLength">The safety valve's maximum length; null when off.</param>
public sealed record RetentionOverview(string? FloorId, string? HeldBy, double MinAgeSeconds, double? MaxAgeSeconds, long? MaxLength);

/// <summary>One consumer group.</summary>
/// <param name="Name">The group.</param>
/// <param name="LagCounted">True when Redis returned a nil lag and <paramref name="Lag"/> was counted.</param>
/// <param name="Pending">Entries delivered and not acknowledged (XINFO GROUPS <c>pending</c>).</param>
/// <param name="LastDeliveredId">The group's last-delivered id.</param>
/// <param name="Consumers">The group's consumers.</param>
/// <param name="Lag">Entries not yet delivered to the group: XINFO GROUPS <c>lag</c>, or counted when Redis returns nil
/// (<see cref="LagCounted"/>), up to <see cref="StreamOverviewReader.CountLimit"/>.</param>
/// <param name="OldestPendingAgeSeconds">Age (since it was added) of the oldest entry pending in the group; null when none.</param>
/// <param name="DeadLetters">Dead letters this group wrote that are in the dead-letter stream (counted over at most
/// <see cref="StreamOverviewReader.CountLimit"/> dead letters); null when not asked for.</param>
/// <param name="EntriesRead">XINFO GROUPS <c>entries-read</c> (Redis 7+; 0 for a group that has delivered nothing, where Redis answers nil), else null.</param>
public sealed record GroupOverview(
    string Name,
    long? Lag,
    bool LagCounted,
    long Pending,
    double? OldestPendingAgeSeconds,
    long? DeadLetters,
    string LastDeliveredId,
    long? EntriesRead,
    IReadOnlyList<ConsumerOverview> Consumers);

/// <summary>One consumer of a group.</summary>
/// <param name="Name">The consumer name.</param>
/// <param name="Pending">Entries pending on it.</param>
/// <param name="State">Alive, idle or dead (see <see cref="ConsumerState"/>).</param>
/// <param name="IdleSeconds">Since its last attempted interaction (read, claim).</param>
/// <param name="InactiveSeconds">Since its last successful interaction (Redis 7.2+), else null.</param>
public sealed record ConsumerOverview(string Name, long Pending, double IdleSeconds, double? InactiveSeconds, ConsumerState State);

/// <summary>A consumer's state, by whether it was seen within ClaimMinIdle and whether it holds entries.</summary>
public enum ConsumerState
{
    /// <summary>Seen within ClaimMinIdle.</summary>
    Alive,

    /// <summary>Not seen for longer, holds nothing (harmless; cleaned up after ConsumerIdleTimeout).</summary>
    Idle,

    /// <summary>Not seen for longer and holds pending entries (other consumers claim them).</summary>
    Dead,
}
