using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.Operations;

/// <summary>
/// The operator surface's sentences, once for every face: each says what happened, or what is wrong and what to do.
/// Where a face's own way of asking matters (an HTTP body, a command-line flag), the sentence names both.
/// </summary>
public static class OpsTexts
{
    /// <summary>The detail of every answer given while Redis cannot be reached.</summary>
    public const string RedisUnreachable = "Redis (app setting RedisConnection) cannot be reached. Try again later.";

    /// <summary>How to force an action, in the words of both faces.</summary>
    private const string Force = "--force / {\"force\": true}";

    /// <summary>One sentence for an operator about a replay or discard of one dead letter.</summary>
    public static string Describe(DeadLetterActionResult result, int replayCap)
    {
        ArgumentNullException.ThrowIfNull(result);
        var id = result.Id;
        var group = result.Group;
        return result.Status switch
        {
            DeadLetterActionStatus.Replayed =>
                $"Dead letter {id} replayed to group '{group}' as entry {result.NewEntryId} (replay {result.Replays}).",
            DeadLetterActionStatus.Discarded => $"Dead letter {id} of group '{group}' discarded.",
            DeadLetterActionStatus.NotFound => NoSuchDeadLetter(id),
            DeadLetterActionStatus.AlreadyHandled when result.Existing?.Kind == DeadLetterOutcomeKind.Replaying =>
                $"Dead letter {id} of group '{group}' is {result.Existing}; if that replay died part-way, " +
                $"check the stream for its new entry, then force it ({Force}).",
            DeadLetterActionStatus.AlreadyHandled =>
                $"Dead letter {id} of group '{group}' was already {result.Existing}.",
            DeadLetterActionStatus.ReplayCapReached =>
                $"Dead letter {id} of group '{group}' has been replayed {result.Replays} time(s), " +
                $"the cap is {replayCap}: fix the cause, then force it ({Force}) or discard it.",
            DeadLetterActionStatus.OutcomeUnknown =>
                $"Dead letter {id} of group '{group}': the replay's write to the stream timed out or lost its " +
                "connection, so it may or may not have happened; the dead letter stays marked replaying. " +
                $"Check the stream for an entry with {ReplayFields.Of} = its original id before forcing a replay " +
                $"({Force}) after the stale period, or discard it.",
            DeadLetterActionStatus.NoSourceStream =>
                $"Dead letter {id} names no source stream (field '{DeadLetterFields.Stream}'): it was not written " +
                "by an OrdersFunctions subscriber and cannot be replayed; discard it instead.",
            _ => result.Status.ToString(),
        };
    }

    /// <summary>No dead letter by that id: one sentence, whatever shape the id has.</summary>
    public static string NoSuchDeadLetter(string id) => StreamIds.IsEntryId(id)
        ? $"No dead letter '{Cut(id)}': list them with './ops.sh dead-letters list' or GET /api/ops/dead-letters."
        : $"No dead letter '{Cut(id)}': dead-letter ids look like 1700000000000-0; " +
          "list them with './ops.sh dead-letters list' or GET /api/ops/dead-letters.";

    /// <summary>What a bulk replay or discard did, or would do.</summary>
    public static string DescribeBulk(DeadLetterBulkResult result, string action)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.DryRun
            ? $"{result.Matched} dead letter(s) match; nothing changed (dry run)."
            : $"{result.Matched} matched: {result.Replayed} replayed, {result.Discarded} discarded, " +
              $"{result.Skipped} skipped (already handled, gone, or at the replay cap).";
    }

    /// <summary>A user's text, cut for echoing it in a message.</summary>
    public static string Cut(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
