using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OrdersFunctions.App.Http;
using OrdersFunctions.Operations;
using OrdersFunctions.Operations.DeadLetters;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.App.Ops;

/// <summary>The ops functions' shared answers (problem+json, as <c>docs/ops-api.md</c> says); the sentences are the
/// operator surface's (<see cref="OpsTexts"/>), the same the command line prints.</summary>
public static class OpsAnswers
{
    public const int MaxBodyBytes = 16 * 1024;

    public static IActionResult BadFilter(IDictionary<string, string[]> errors) =>
        Problems.Validation(errors,
            "Fix the parameters listed in 'errors' (" + string.Join(", ", errors.Keys)
            + ") and send the request again.",
            "The dead-letter request is not valid.");

    public static IActionResult RedisDown(HttpRequest request, RedisConnectionProblem problem) =>
        Problems.RedisUnavailable(request, "Dead letters are unavailable right now.", problem,
            "Nothing was done: try again later.");

    public static IActionResult TooLarge() =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "The body is too large.",
            $"Send at most {MaxBodyBytes / 1024} KiB of JSON.");

    public static IActionResult NotFound(string id) =>
        Problems.Status(StatusCodes.Status404NotFound, "No such dead letter.", OpsTexts.NoSuchDeadLetter(id));

    /// <summary>The answer to a single replay or discard.</summary>
    public static IActionResult Of(DeadLetterActionResult result, int replayCap) =>
        DeadLetterActionResponse.From(result) is { } done
            ? new OkObjectResult(done)
            : result.Status switch
            {
                DeadLetterActionStatus.NotFound => NotFound(result.Id),
                DeadLetterActionStatus.ReplayCapReached => Conflict("The replay cap is reached.", result, replayCap),
                DeadLetterActionStatus.OutcomeUnknown =>
                    Conflict("The replay's outcome is unknown: check before forcing.", result, replayCap),
                DeadLetterActionStatus.NoSourceStream =>
                    Conflict("The dead letter names no source stream.", result, replayCap),
                _ => Conflict("The dead letter was already handled.", result, replayCap),
            };

    /// <summary>The answer to a replay or discard by filter.</summary>
    public static IActionResult Of(DeadLetterBulkResult result) =>
        new OkObjectResult(DeadLetterBulkResponse.From(result));

    /// <summary>The source stream a single-dead-letter request names with <c>?stream=</c>, else the app's.</summary>
    public static string? RequestedStream(HttpRequest request, string? defaultStream) =>
        request.Query.TryGetValue("stream", out var stream) && !string.IsNullOrWhiteSpace(stream.ToString())
            ? stream.ToString()
            : defaultStream;

    private static IActionResult Conflict(string title, DeadLetterActionResult result, int replayCap) =>
        Problems.Status(StatusCodes.Status409Conflict, title, OpsTexts.Describe(result, replayCap));
}
