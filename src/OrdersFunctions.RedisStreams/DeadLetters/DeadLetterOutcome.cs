using System.Globalization;

namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>What became of a dead letter, as stored under <see cref="DeadLetterKeys.Outcome"/>.</summary>
/// <param name="Kind">Replaying (started, not finished), replayed, or discarded.</param>
/// <param name="NewEntryId">When replayed: the new entry in the source stream.</param>
/// <param name="StartedAt">When replaying: when the replay began (a replay that crashed part-way can be forced after
/// <see cref="DeadLetterStoreOptions.StaleReplayAfter"/>).</param>
public sealed record DeadLetterOutcome(
    DeadLetterOutcomeKind Kind, string? NewEntryId = null, DateTimeOffset? StartedAt = null)
{
    internal const string ReplayingPrefix = "replaying ";
    internal const string ReplayedPrefix = "replayed ";
    internal const string DiscardedValue = "discarded";

    internal static string Replaying(DateTimeOffset now) =>
        ReplayingPrefix + now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    internal static string Replayed(string newEntryId) => ReplayedPrefix + newEntryId;

    /// <summary>Reads a stored value; null when it is not one the engine writes.</summary>
    internal static DeadLetterOutcome? Parse(string? value)
    {
        if (value is null)
            return null;
        if (value == DiscardedValue)
            return new DeadLetterOutcome(DeadLetterOutcomeKind.Discarded);
        if (value.StartsWith(ReplayedPrefix, StringComparison.Ordinal))
            return new DeadLetterOutcome(DeadLetterOutcomeKind.Replayed, value[ReplayedPrefix.Length..]);
        if (value.StartsWith(ReplayingPrefix, StringComparison.Ordinal)
            && long.TryParse(value.AsSpan(ReplayingPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture,
                out var ms))
            return new DeadLetterOutcome(DeadLetterOutcomeKind.Replaying,
                StartedAt: DateTimeOffset.FromUnixTimeMilliseconds(ms));
        return null;
    }

    /// <summary>The outcome in words, for messages: "replayed as 1700000000000-0", "discarded", "being
    /// replayed".</summary>
    public override string ToString() => Kind switch
    {
        DeadLetterOutcomeKind.Replayed => "replayed as " + NewEntryId,
        DeadLetterOutcomeKind.Discarded => "discarded",
        _ => "being replayed (started " + StartedAt?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) + ")",
    };
}

/// <summary>The kinds of <see cref="DeadLetterOutcome"/>.</summary>
public enum DeadLetterOutcomeKind
{
    /// <summary>A replay has begun and not finished (or crashed between writing the new entry and recording
    /// it).</summary>
    Replaying,

    /// <summary>Written back to the source stream for its group.</summary>
    Replayed,

    /// <summary>Removed on purpose.</summary>
    Discarded,
}
