using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Retention;

namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>Which stream the overview reads, and the settings its figures are judged by.</summary>
/// <param name="Stream">The stream key.</param>
/// <param name="DeadLetterStream">Its dead-letter stream; null for <c>{Stream}:dead-letter</c>.</param>
/// <param name="Policy">The retention policy in effect (for the floor and the settings shown); null for the
/// defaults.</param>
/// <param name="ClaimMinIdle">A consumer seen within this is alive; null for the engine default.</param>
/// <param name="CountDeadLetters">Whether to report each group's dead letters (read from the kept counts, O(groups));
/// when false, <see cref="GroupOverview.DeadLetters"/> is null.</param>
public sealed record StreamOverviewRequest(string Stream, string? DeadLetterStream = null,
    RetentionPolicy? Policy = null, TimeSpan? ClaimMinIdle = null, bool CountDeadLetters = true)
{
    /// <summary>The default of <see cref="MaxConsumersPerGroup"/>.</summary>
    public const int DefaultMaxConsumersPerGroup = 20;

    /// <summary>The default of <see cref="LagCountBudget"/>.</summary>
    public const int DefaultLagCountBudget = 2_000;

    public string EffectiveDeadLetterStream => string.IsNullOrWhiteSpace(DeadLetterStream)
        ? StreamSubscriberOptions.DefaultDeadLetterStream(Stream)
        : DeadLetterStream;

    /// <summary>The most consumers listed per group (dead ones and those holding entries first); the rest are only
    /// counted (<see cref="GroupOverview.ConsumersNotShown"/>, <see cref="GroupOverview.ConsumerStates"/>).</summary>
    public int MaxConsumersPerGroup { get; init; } = DefaultMaxConsumersPerGroup;

    /// <summary>The most stream entries one read counts, over all groups whose lag no counter tells (shared between
    /// them, 10 to 1,000 each); such a lag beyond its share reads "at least N" (<see cref="LagSource.AtLeast"/>).
    /// </summary>
    public int LagCountBudget { get; init; } = DefaultLagCountBudget;

    /// <summary>How each group's consumers are judged alive, by the options its trigger runs with; a group not listed
    /// uses <see cref="ClaimMinIdle"/> and the engine's default cadence of "seen" records.</summary>
    public IReadOnlyDictionary<string, ConsumerLiveness>? Liveness { get; init; }

    /// <summary>The liveness rule of <paramref name="group"/>.</summary>
    public ConsumerLiveness LivenessOf(string group) =>
        Liveness?.GetValueOrDefault(group)
        ?? (ClaimMinIdle is { } claimMinIdle
            ? ConsumerLiveness.Default with { ClaimMinIdle = claimMinIdle }
            : ConsumerLiveness.Default);
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
    IReadOnlyList<GroupOverview> Groups)
{
    /// <summary>XINFO STREAM <c>entries-added</c>: entries added over the stream's lifetime (Redis 7+), else null.
    /// </summary>
    public long? EntriesAdded { get; init; }

    /// <summary>
    /// Whether the groups' <see cref="GroupOverview.DeadLetters"/> are exact: true once the kept counts cover every
    /// dead letter; false while dead letters written before the counts existed are still being counted (in the
    /// background, in bounded steps; the figures are then too low); null when dead letters were not asked for.
    /// </summary>
    public bool? DeadLetterCountsExact { get; init; }
}

/// <summary>The retention floor now and the settings it follows.</summary>
/// <param name="FloorId">Entries below this id may be trimmed; null when the stream does not exist.</param>
/// <param name="HeldBy">The group that holds the floor down; null when the minimum-age window sets it.</param>
/// <param name="MinAgeSeconds">The policy's minimum age.</param>
/// <param name="MaxAgeSeconds">The safety valve's maximum age; null when off.</param>
/// <param name="MaxLength">The safety valve's maximum length; null when off.</param>
public sealed record RetentionOverview(
    string? FloorId, string? HeldBy, double MinAgeSeconds, double? MaxAgeSeconds, long? MaxLength);

/// <summary>One consumer group.</summary>
/// <param name="Name">The group.</param>
/// <param name="LagCounted">True when the lag is not Redis's own figure (Redis answered nil): then
/// <see cref="LagEstimate"/> says whether it came from the counters, a full count, or a capped one ("at least").
/// </param>
/// <param name="Pending">Entries delivered and not acknowledged (XINFO GROUPS <c>pending</c>).</param>
/// <param name="LastDeliveredId">The group's last-delivered id.</param>
/// <param name="Consumers">The group's consumers, at most <see cref="StreamOverviewRequest.MaxConsumersPerGroup"/>
/// (see <see cref="ConsumersNotShown"/>).</param>
/// <param name="Lag">Entries not yet delivered to the group, <see cref="LagEstimate"/>'s figure: a lower bound when it
/// is <see cref="LagSource.AtLeast"/>.</param>
/// <param name="OldestPendingAgeSeconds">Age (since it was added) of the oldest entry pending in the group; null when
/// none.</param>
/// <param name="DeadLetters">Dead letters of this group in the dead-letter stream, from the kept counts (see
/// <see cref="StreamOverview.DeadLetterCountsExact"/>); null when not asked for.</param>
/// <param name="EntriesRead">XINFO GROUPS <c>entries-read</c> (Redis 7+; 0 for a group that has delivered nothing,
/// where Redis answers nil), else null.</param>
public sealed record GroupOverview(
    string Name,
    long? Lag,
    bool LagCounted,
    long Pending,
    double? OldestPendingAgeSeconds,
    long? DeadLetters,
    string LastDeliveredId,
    long? EntriesRead,
    IReadOnlyList<ConsumerOverview> Consumers)
{
    /// <summary>The lag and where it came from: Redis's figure (exact), the counters (estimated), a count (exact) or a
    /// capped count (at least N); never more than the stream's length.</summary>
    public LagEstimate LagEstimate { get; init; }

    /// <summary>How the group's consumers were judged alive (its trigger's options when the request gave
    /// them).</summary>
    public ConsumerLiveness Liveness { get; init; } = ConsumerLiveness.Default;

    /// <summary>The oldest pending entry's id (XPENDING summary); null when nothing is pending.</summary>
    public string? OldestPendingId { get; init; }

    /// <summary>Every consumer of the group, listed or not.</summary>
    public int ConsumerCount { get; init; }

    /// <summary>Consumers left out of <see cref="Consumers"/> by the cap; counted in <see cref="ConsumerStates"/>.
    /// </summary>
    public int ConsumersNotShown { get; init; }

    /// <summary>Every consumer of the group counted by state, listed or not.</summary>
    public ConsumerStateCounts ConsumerStates { get; init; } = ConsumerStateCounts.None;
}

/// <summary>One consumer of a group.</summary>
/// <param name="Name">The consumer name.</param>
/// <param name="Pending">Entries pending on it.</param>
/// <param name="State">Alive, idle or dead (see <see cref="ConsumerState"/>).</param>
/// <param name="IdleSeconds">Since its last attempted interaction (read, claim).</param>
/// <param name="InactiveSeconds">Since its last successful interaction (Redis 7.2+), else null.</param>
public sealed record ConsumerOverview(
    string Name, long Pending, double IdleSeconds, double? InactiveSeconds, ConsumerState State);

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
