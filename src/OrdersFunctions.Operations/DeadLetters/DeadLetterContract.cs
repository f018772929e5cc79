using System.Globalization;
using OrdersFunctions.RedisStreams.DeadLetters;

namespace OrdersFunctions.Operations.DeadLetters;

/// <summary>A dead letter in the shape of <c>docs/ops-api.md</c> ("Dead letters").</summary>
public sealed record DeadLetterItem(
    string Id,
    string Stream,
    string Group,
    string OriginalId,
    string? OrderId,
    string ErrorType,
    string ErrorMessage,
    int DeliveryCount,
    int Replays,
    string? FailedAt)
{
    public static DeadLetterItem From(DeadLetter deadLetter)
    {
        var record = deadLetter.Record;
        // Cleaned and at most FailureDescription.MaxMessageLength long, whoever wrote the record.
        var error = record.Failure;
        return new DeadLetterItem(
            record.DeadLetterId,
            record.Stream,
            record.Group,
            record.OriginalId,
            deadLetter.PayloadProperty("orderId"),
            error.Type,
            error.Message,
            record.DeliveryCount,
            deadLetter.Replays,
            FormatTime(record.FailedAt));
    }

    /// <summary>ISO 8601 UTC with milliseconds, as the contract's examples: <c>2026-12-02T13:00:00.000Z</c>.</summary>
    public static string? FormatTime(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>One dead letter with every field of its original entry (<c>GET /api/ops/dead-letters/{id}</c>).</summary>
public sealed record DeadLetterDetail(
    string Id,
    string Stream,
    string Group,
    string OriginalId,
    string? OrderId,
    string ErrorType,
    string ErrorMessage,
    int DeliveryCount,
    int Replays,
    string? FailedAt,
    IReadOnlyDictionary<string, string> Fields)
{
    public static DeadLetterDetail From(DeadLetter deadLetter)
    {
        var item = DeadLetterItem.From(deadLetter);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in deadLetter.OriginalFields)
            fields.TryAdd(name, value);
        return new DeadLetterDetail(item.Id, item.Stream, item.Group, item.OriginalId, item.OrderId, item.ErrorType,
            item.ErrorMessage, item.DeliveryCount, item.Replays, item.FailedAt, fields);
    }
}

/// <summary>A page of dead letters.</summary>
public sealed record DeadLetterPageResponse(IReadOnlyList<DeadLetterItem> Items, string? Next);

/// <summary>What a replay or discard of one dead letter did (its success answer).</summary>
public sealed record DeadLetterActionResponse(
    string Id, string Outcome, string? Group, string? NewEntryId, int? Replays)
{
    /// <summary>The answer for a replayed or discarded dead letter; null for any other outcome (an error
    /// answer).</summary>
    public static DeadLetterActionResponse? From(DeadLetterActionResult result) => result.Status switch
    {
        DeadLetterActionStatus.Replayed => new(result.Id, "replayed", result.Group, result.NewEntryId, result.Replays),
        DeadLetterActionStatus.Discarded => new(result.Id, "discarded", result.Group, null, null),
        _ => null,
    };
}

/// <summary>What a replay or discard by filter did; a dry run only says how many match.</summary>
public static class DeadLetterBulkResponse
{
    public static object From(DeadLetterBulkResult result) => result.DryRun
        ? new { matched = result.Matched, dryRun = true }
        : new
        {
            matched = result.Matched,
            replayed = result.Replayed,
            discarded = result.Discarded,
            skipped = result.Skipped,
        };
}
