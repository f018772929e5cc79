using System.Text.Json;

namespace OrdersFunctions.App.Orders;

/// <summary>
/// The value stored under an Idempotency-Key: first a reservation (no entry id) while the request publishes, then the
/// answer. <see cref="RequestHash"/> tells a retry from a different request that reuses the key.
/// </summary>
internal sealed record IdempotencyRecord(string OrderId, string RequestHash, string? StreamEntryId)
{
    public bool IsCompleted => StreamEntryId is not null;

    public string ToJson() => JsonSerializer.Serialize(this, JsonSerializerOptions.Web);

    public static IdempotencyRecord? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return null;
        try
        {
            return JsonSerializer.Deserialize<IdempotencyRecord>(json, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null; // not ours: treat as absent rather than fail every retry of that key
        }
    }
}
