namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>What a replay or discard of one dead letter did, or why it did nothing.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Id">The dead-letter id asked for.</param>
/// <param name="Group">The group of the dead letter, when known.</param>
/// <param name="NewEntryId">When replayed: the new entry in the source stream.</param>
/// <param name="Replays">When replayed: the message's replays including this one; when the cap refused: replays so
/// far.</param>
/// <param name="Existing">When <see cref="DeadLetterActionStatus.AlreadyHandled"/>: what had already happened.</param>
public sealed record DeadLetterActionResult(
    DeadLetterActionStatus Status,
    string Id,
    string? Group = null,
    string? NewEntryId = null,
    int Replays = 0,
    DeadLetterOutcome? Existing = null)
{
    /// <summary>True when the dead letter was replayed or discarded by this call.</summary>
    public bool Succeeded => Status is DeadLetterActionStatus.Replayed or DeadLetterActionStatus.Discarded;
}

/// <summary>The outcomes of <see cref="DeadLetterActionResult"/>.</summary>
public enum DeadLetterActionStatus
{
    /// <summary>Written back to the source stream for its group, and removed from the dead letters.</summary>
    Replayed,

    /// <summary>Removed from the dead letters.</summary>
    Discarded,

    /// <summary>No such dead letter, and none by that id was replayed or discarded recently.</summary>
    NotFound,

    /// <summary>Already replayed or discarded, or a replay is under way.</summary>
    AlreadyHandled,

    /// <summary>The message was replayed <see cref="DeadLetterStoreOptions.ReplayCap"/> times already; force to go
    /// on.</summary>
    ReplayCapReached,

    /// <summary>The replay's XADD timed out or lost its connection: it may have been written. The dead letter stays
    /// marked 'replaying'; check the stream before forcing a takeover after
    /// <see cref="DeadLetterStoreOptions.StaleReplayAfter"/>.</summary>
    OutcomeUnknown,

    /// <summary>The dead letter names no source stream, so it cannot be replayed (only discarded).</summary>
    NoSourceStream,
}

/// <summary>What a replay or discard by filter did.</summary>
/// <param name="Matched">Dead letters the filter matched.</param>
/// <param name="DryRun">True when nothing was changed (only counted).</param>
/// <param name="Replayed">Replayed by this call.</param>
/// <param name="Discarded">Discarded by this call.</param>
/// <param name="Skipped">Matched but left alone: already handled meanwhile, gone, or at the replay cap.</param>
public sealed record DeadLetterBulkResult(
    int Matched, bool DryRun, int Replayed = 0, int Discarded = 0, int Skipped = 0);
