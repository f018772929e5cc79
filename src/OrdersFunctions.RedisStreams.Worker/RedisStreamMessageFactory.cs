using System.Globalization;
using System.Text.Json;

namespace OrdersFunctions.RedisStreams.Worker;

/// <summary>
/// Builds a <see cref="RedisStreamMessage"/> from what the host sends the worker: the payload (the trigger value) and
/// the binding data (<c>EntryId</c>, <c>MessageId</c>, <c>MessageType</c>, <c>Stream</c>, <c>Group</c>, <c>Consumer</c>,
/// <c>DeliveryCount</c>, <c>Headers</c> as a JSON object, <c>PublishedAt</c>). The host cannot tell a
/// <see cref="RedisStreamMessage"/> parameter from any other POCO (both arrive without a data type), so it always sends
/// the payload, and the envelope is put back together here.
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
            DeliveryCount = int.TryParse(Text(data, "DeliveryCount"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : 0,
            Headers = Headers(data),
            PublishedAt = DateTimeOffset.TryParse(Text(data, "PublishedAt"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null,
        };
    }

    /// <summary>
    /// Builds a batch from what the host sends a batched function: the payloads as one JSON array (a JSON payload as
    /// itself, any other payload as a JSON string) and the binding data's per-entry arrays (<c>EntryIdArray</c>,
    /// <c>MessageIdArray</c>, <c>MessageTypeArray</c>, <c>DeliveryCountArray</c>, <c>HeadersArray</c>,
    /// <c>PublishedAtArray</c>, each a JSON array) with <c>Stream</c>, <c>Group</c> and <c>Consumer</c>.
    /// </summary>
    /// <exception cref="JsonException"><paramref name="payloads"/> is not a JSON array.</exception>
    public static RedisStreamMessage[] CreateBatch(string payloads, IReadOnlyDictionary<string, object?> bindingData)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        ArgumentNullException.ThrowIfNull(bindingData);
        var data = new Dictionary<string, object?>(bindingData, StringComparer.OrdinalIgnoreCase);
        using var document = JsonDocument.Parse(payloads);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new JsonException($"A batch of stream entries arrives as a JSON array, not a {document.RootElement.ValueKind}.");
        var entryIds = Array<string>(data, "EntryIdArray");
        var messageIds = Array<string>(data, "MessageIdArray");
        var types = Array<string>(data, "MessageTypeArray");
        var deliveries = Array<int>(data, "DeliveryCountArray");
        var headers = Array<Dictionary<string, string>>(data, "HeadersArray");
        var publishedAt = Array<DateTimeOffset?>(data, "PublishedAtArray");
        var messages = new RedisStreamMessage[document.RootElement.GetArrayLength()];
        var i = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            messages[i] = new RedisStreamMessage
            {
                Payload = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText(),
                EntryId = At(entryIds, i) ?? "",
                MessageId = At(messageIds, i) ?? "",
                Type = At(types, i) ?? "",
                DeliveryCount = At(deliveries, i),
                Headers = At(headers, i) ?? new Dictionary<string, string>(),
                PublishedAt = At(publishedAt, i),
                Stream = Text(data, "Stream"),
                Group = Text(data, "Group"),
                Consumer = Text(data, "Consumer"),
            };
            i++;
        }
        return messages;
    }

    private static T? At<T>(T[]? values, int index) => values is not null && index < values.Length ? values[index] : default;

    /// <summary>A per-entry array of the binding data: the value itself, or the JSON text the host turns it into.</summary>
    private static T[]? Array<T>(Dictionary<string, object?> data, string key)
    {
        if (!data.TryGetValue(key, out var value) || value is null)
            return null;
        if (value is T[] typed)
            return typed;
        var json = Convert.ToString(value, CultureInfo.InvariantCulture);
        return string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<T[]>(json);
    }

    private static string Text(Dictionary<string, object?> data, string key) =>
        data.TryGetValue(key, out var value) && value is not null ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" : "";

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
