using System.Globalization;
using OrdersFunctions.RedisStreams.DeadLetters;

namespace OrdersFunctions.App.Ops;

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
        return new DeadLetterDetail(item.Id, item.Stream, item.Group, item.OriginalId, item.OrderId, item.ErrorType, item.ErrorMessage,
            item.DeliveryCount, item.Replays, item.FailedAt, fields);
    }
}

/// <summary>A page of dead letters.</summary>
public sealed record DeadLetterPageResponse(IReadOnlyList<DeadLetterItem> Items, string? Next);
