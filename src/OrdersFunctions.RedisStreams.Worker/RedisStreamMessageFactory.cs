using System.Globalization;
using System.Text.Json;

namespace OrdersFunctions.RedisStreams.Worker;

/// <summary>
/// Builds a <see cref="RedisStreamMessage"/> from what the host sends the worker: the payload (the trigger value) and
/// the binding data (<c>EntryId</c>, <c>MessageId</c>, <c>MessageType</c>, <c>Stream</c>, <c>Group</c>,
/// <c>Consumer</c>, <c>DeliveryCount</c>, <c>Headers</c> as a JSON object, <c>PublishedAt</c>). The host cannot tell a
/// <see cref="RedisStreamMessage"/> parameter from any other POCO (both arrive without a data type), so it always
/// sends the payload, and the envelope is put back together here.
/// </summary>
public static class RedisStreamMessageFactory
{
    /// <summary>Creates the message; absent binding data leave their properties at the defaults.</summary>
    public static RedisStreamMessage Create(string payload, IReadOnlyDictionary<string, object?> bindingData)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(bindingData);
        var data = new Dictionary<string, object?>(bindingData, StringComparer.OrdinalIgnoreCase);
        return new RedisStreamMessage
        {
            Payload = payload,
            EntryId = Text(data, "EntryId"),
            MessageId = Text(data, "MessageId"),
            Type = Text(data, "MessageType"),
            Stream = Text(data, "Stream"),
            Group = Text(data, "Group"),
            Consumer = Text(data, "Consumer"),
            DeliveryCount = int.TryParse(
                Text(data, "DeliveryCount"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
                ? count
                : 0,
            Headers = Headers(data),
            PublishedAt = DateTimeOffset.TryParse(
                Text(data, "PublishedAt"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                ? at
                : null,
        };
    }

    /// <summary>
    /// Builds a batch from what the host sends a batched function: the payloads as one JSON array (a JSON payload as
    /// itself, any other payload as a JSON string) and the binding data: <c>Entries</c>, a JSON array with one object
    /// per entry (<c>EntryId</c>, <c>MessageId</c>, <c>MessageType</c>, <c>DeliveryCount</c>, <c>Headers</c>,
    /// <c>PublishedAt</c>), and <c>Stream</c>, <c>Group</c>, <c>Consumer</c>.
    /// </summary>
    /// <exception cref="JsonException"><paramref name="payloads"/> is not a JSON array, or <c>Entries</c> is not
    /// JSON.</exception>
    public static RedisStreamMessage[] CreateBatch(string payloads, IReadOnlyDictionary<string, object?> bindingData)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        ArgumentNullException.ThrowIfNull(bindingData);
        var data = new Dictionary<string, object?>(bindingData, StringComparer.OrdinalIgnoreCase);
        using var document = JsonDocument.Parse(payloads);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new JsonException(
                $"A batch of stream entries arrives as a JSON array, not a {document.RootElement.ValueKind}.");
        var entries = EntriesOf(data);
        var messages = new RedisStreamMessage[document.RootElement.GetArrayLength()];
        var i = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var entry = i < entries.Length ? entries[i] : null;
            messages[i++] = new RedisStreamMessage
            {
                Payload = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText(),
                EntryId = entry?.EntryId ?? "",
                MessageId = entry?.MessageId ?? "",
                Type = entry?.MessageType ?? "",
                DeliveryCount = entry?.DeliveryCount ?? 0,
                Headers = entry?.Headers ?? new Dictionary<string, string>(),
                PublishedAt = DateTimeOffset.TryParse(
                    entry?.PublishedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                    ? at
                    : null,
                Stream = Text(data, "Stream"),
                Group = Text(data, "Group"),
                Consumer = Text(data, "Consumer"),
            };
        }
        return messages;
    }

    private static readonly JsonSerializerOptions EntriesJson = new() { PropertyNameCaseInsensitive = true };

    private static EntryMetadata[] EntriesOf(Dictionary<string, object?> data)
    {
        if (!data.TryGetValue("Entries", out var value) || value is null)
            return [];
        var json = value as string ?? JsonSerializer.Serialize(value);
        return JsonSerializer.Deserialize<EntryMetadata[]>(json, EntriesJson) ?? [];
    }

    /// <summary>One element of the host's <c>Entries</c> binding data.</summary>
    private sealed record EntryMetadata(string? EntryId, string? MessageId, string? MessageType, int DeliveryCount,
        Dictionary<string, string>? Headers, string? PublishedAt);

    private static string Text(Dictionary<string, object?> data, string key) =>
        data.TryGetValue(key, out var value) && value is not null
            ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""
            : "";

    private static Dictionary<string, string> Headers(Dictionary<string, object?> data)
    {
        if (!data.TryGetValue("Headers", out var value) || value is null)
            return new Dictionary<string, string>();
        if (value is IReadOnlyDictionary<string, string> typed)
            return new Dictionary<string, string>(typed);
        // Dictionaries reach the worker as JSON strings.
        var json = Convert.ToString(value, CultureInfo.InvariantCulture);
        if (string.IsNullOrWhiteSpace(json))
            return new Dictionary<string, string>();
        return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? new Dictionary<string, string>();
    }
}
