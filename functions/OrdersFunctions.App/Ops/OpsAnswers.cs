using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OrdersFunctions.App.Http;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.App.Ops;

/// <summary>The ops functions' shared answers (problem+json, as <c>docs/ops-api.md</c> says).</summary>
public static class OpsAnswers
{
    public const int MaxBodyBytes = 16 * 1024;

    public static IActionResult BadFilter(IDictionary<string, string[]> errors) =>
        Problems.Validation(errors, "Fix the parameters listed in 'errors' (" + string.Join(", ", errors.Keys) + ") and send the request again.",
            "The dead-letter request is not valid.");

    public static IActionResult RedisDown(HttpRequest request, RedisConnectionProblem problem) =>
        Problems.RedisUnavailable(request, "Dead letters are unavailable right now.", problem,
            "Nothing was done: try again later.");

    public static IActionResult TooLarge() =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "The body is too large.", $"Send at most {MaxBodyBytes / 1024} KiB of JSON.");

    public static IActionResult NotFound(string id) =>
        Problems.Status(StatusCodes.Status404NotFound, "No such dead letter.",
            $"No dead letter '{(id.Length <= 64 ? id : id[..64] + "…")}': list them with GET /api/ops/dead-letters.");

    /// <summary>The answer to a single replay or discard.</summary>
    public static IActionResult Of(DeadLetterActionResult result, int replayCap) => result.Status switch
    {
        DeadLetterActionStatus.Replayed => new OkObjectResult(new { id = result.Id, outcome = "replayed", group = result.Group, newEntryId = result.NewEntryId, replays = result.Replays }),
        DeadLetterActionStatus.Discarded => new OkObjectResult(new { id = result.Id, outcome = "discarded", group = result.Group }),
        DeadLetterActionStatus.NotFound => NotFound(result.Id),
        DeadLetterActionStatus.ReplayCapReached => Problems.Status(StatusCodes.Status409Conflict, "The replay cap is reached.", result.Describe(replayCap)),
        DeadLetterActionStatus.OutcomeUnknown => Problems.Status(StatusCodes.Status409Conflict, "The replay's outcome is unknown: check before forcing.", result.Describe(replayCap)),
        DeadLetterActionStatus.NoSourceStream => Problems.Status(StatusCodes.Status409Conflict, "The dead letter names no source stream.", result.Describe(replayCap)),
        _ => Problems.Status(StatusCodes.Status409Conflict, "The dead letter was already handled.", result.Describe(replayCap)),
    };

    /// <summary>The answer to a replay or discard by filter.</summary>
    public static IActionResult Of(DeadLetterBulkResult result) => result.DryRun
        ? new OkObjectResult(new { matched = result.Matched, dryRun = true })
        : new OkObjectResult(new { matched = result.Matched, replayed = result.Replayed, discarded = result.Discarded, skipped = result.Skipped });
}
