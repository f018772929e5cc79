using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Consuming;

/// <summary>Turns a raw stream entry into a <see cref="StreamMessage"/>, or says why it cannot.</summary>
internal static class EnvelopeReader
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>(0);
    private static readonly byte[] MessageIdName = Encoding.UTF8.GetBytes(StreamEnvelope.MessageId);
    private static readonly byte[] TypeName = Encoding.UTF8.GetBytes(StreamEnvelope.Type);
    private static readonly byte[] PayloadName = Encoding.UTF8.GetBytes(StreamEnvelope.Payload);
    private static readonly byte[] HeadersName = Encoding.UTF8.GetBytes(StreamEnvelope.Headers);
    private static readonly byte[] PublishedAtName = Encoding.UTF8.GetBytes(StreamEnvelope.PublishedAt);
    private static readonly RedisValue EmptyJsonObject = "{}"u8.ToArray();

    /// <summary>Reads the envelope fields of <paramref name="entry"/>; null with <paramref name="problem"/> saying why
    /// (naming each missing field) when it is not a valid envelope.</summary>
    public static StreamMessage? TryRead(
        in RawEntry entry, string stream, string group, string consumer, int deliveryCount, out string? problem)
    {
        string? messageId = null, type = null;
        byte[]? payload = null;
        RedisValue headers = RedisValue.Null, publishedAt = RedisValue.Null;
        var fields = entry.Fields;
        if (fields is not null)
        {
            // Names are compared as byte spans: no string per field name on the hot path, and not with RedisValue's ==,
            // which first tries to parse both sides as numbers (see FieldName).
            for (var i = 0; i + 1 < fields.Length; i += 2)
            {
                var name = FieldName.Of(fields[i]);
                var value = fields[i + 1];
                if (name.SequenceEqual(MessageIdName)) messageId = (string?)value;
                else if (name.SequenceEqual(TypeName)) type = InternType((RedisValue)value);
                else if (name.SequenceEqual(PayloadName)) payload = (byte[]?)value;
                else if (name.SequenceEqual(HeadersName)) headers = (RedisValue)value;
                else if (name.SequenceEqual(PublishedAtName)) publishedAt = (RedisValue)value;
            }
        }

        var missing = MissingFields(messageId, type, payload);
        if (missing is not null)
        {
            problem = $"The entry lacks the envelope field(s) {missing}: " +
                "it was not written by an OrdersFunctions publisher.";
            return null;
        }
        if (!TryReadHeaders(headers, out var headerMap, out var headersProblem))
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
            Headers = headerMap,
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
    internal static bool TryReadHeaders(
        RedisValue value, out IReadOnlyDictionary<string, string> headers, out string? problem)
    {
        headers = NoHeaders;
        problem = null;
        if (value.IsNullOrEmpty || value == EmptyJsonObject)
            return true;
        var json = (ReadOnlyMemory<byte>)value;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = $"The envelope field '{StreamEnvelope.Headers}' is JSON {document.RootElement.ValueKind}, " +
                    "not an object of strings.";
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

    internal static DateTimeOffset? ParsePublishedAt(RedisValue value)
    {
        if (value.IsNullOrEmpty)
            return null;
        var bytes = ((ReadOnlyMemory<byte>)value).Span;
        // The publisher writes the round-trip ("O") format, which Utf8Parser reads without allocating.
        if (Utf8Parser.TryParse(bytes, out DateTimeOffset parsed, out var consumed, 'O') && consumed == bytes.Length)
            return parsed;
        return DateTimeOffset.TryParse(Encoding.UTF8.GetString(bytes), CultureInfo.InvariantCulture,
                DateTimeStyles.RoundtripKind, out var lenient)
            ? lenient : null;
    }

    // Message types repeat; reuse the last one's string instead of decoding it again for every entry.
    [ThreadStatic] private static string? _lastType;
    [ThreadStatic] private static byte[]? _lastTypeBytes;

    private static string? InternType(RedisValue value)
    {
        if (value.IsNull)
            return null;
        var bytes = ((ReadOnlyMemory<byte>)value).Span;
        if (_lastTypeBytes is not null && bytes.SequenceEqual(_lastTypeBytes))
            return _lastType;
        _lastTypeBytes = bytes.ToArray();
        return _lastType = Encoding.UTF8.GetString(bytes);
    }
}
