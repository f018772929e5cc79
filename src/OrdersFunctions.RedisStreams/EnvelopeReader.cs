using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams;

/// <summary>Turns a raw stream entry into a <see cref="StreamMessage"/>, or says why it cannot.</summary>
internal static class EnvelopeReader
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>(0);

    /// <summary>Reads the envelope fields of <paramref name="entry"/>; null with <paramref name="problem"/> saying why
    /// (naming each missing field) when it is not a valid envelope.</summary>
    public static StreamMessage? TryRead(in RawEntry entry, string stream, string group, string consumer, int deliveryCount, out string? problem)
    {
        string? messageId = null, type = null, headersJson = null, publishedAt = null;
        byte[]? payload = null;
        var fields = entry.Fields;
        if (fields is not null)
        {
            for (var i = 0; i + 1 < fields.Length; i += 2)
            {
                var name = (string?)fields[i];
                switch (name)
                {
                    case StreamEnvelope.MessageId: messageId = (string?)fields[i + 1]; break;
                    case StreamEnvelope.Type: type = (string?)fields[i + 1]; break;
                    case StreamEnvelope.Payload: payload = (byte[]?)fields[i + 1]; break;
                    case StreamEnvelope.Headers: headersJson = (string?)fields[i + 1]; break;
                    case StreamEnvelope.PublishedAt: publishedAt = (string?)fields[i + 1]; break;
                }
            }
        }

        var missing = MissingFields(messageId, type, payload);
        if (missing is not null)
        {
            problem = $"The entry lacks the envelope field(s) {missing}: it was not written by an OrdersFunctions publisher.";
            return null;
        }
        if (!TryReadHeaders(headersJson, out var headers, out var headersProblem))
        {
            problem = headersProblem;
            return null;
        }

        problem = null;
        return new StreamMessage
        {
            EntryId = entry.Id,
            MessageId = messageId!,
            Type = type!,
            Payload = payload!,
            Headers = headers,
            PublishedAt = ParsePublishedAt(publishedAt),
            DeliveryCount = deliveryCount,
            Stream = stream,
            Group = group,
            Consumer = consumer,
        };
    }

    private static string? MissingFields(string? messageId, string? type, byte[]? payload)
    {
        if (!string.IsNullOrEmpty(messageId) && !string.IsNullOrEmpty(type) && payload is not null)
            return null;
        var names = new List<string>(3);
        if (string.IsNullOrEmpty(messageId)) names.Add(StreamEnvelope.MessageId);
        if (string.IsNullOrEmpty(type)) names.Add(StreamEnvelope.Type);
        if (payload is null) names.Add(StreamEnvelope.Payload);
        return string.Join(", ", names);
    }

    /// <summary>Reads the headers field: absent or empty means none; otherwise a JSON object whose values are
    /// strings (other JSON values are kept as their JSON text).</summary>
    internal static bool TryReadHeaders(string? json, out IReadOnlyDictionary<string, string> headers, out string? problem)
    {
        headers = NoHeaders;
        problem = null;
        if (string.IsNullOrEmpty(json) || json == "{}")
            return true;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = $"The envelope field '{StreamEnvelope.Headers}' is JSON {document.RootElement.ValueKind}, not an object of strings.";
                return false;
            }
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                result[property.Name] = property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString()!
                    : property.Value.GetRawText();
            }
            headers = result;
            return true;
        }
        catch (JsonException ex)
        {
            problem = $"The envelope field '{StreamEnvelope.Headers}' is not valid JSON: {ex.Message}";
            return false;
        }
    }

    internal static DateTimeOffset? ParsePublishedAt(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value) ? value : null;
}
