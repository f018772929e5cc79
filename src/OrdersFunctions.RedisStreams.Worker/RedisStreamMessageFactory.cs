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
