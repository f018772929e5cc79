using System.Globalization;
using System.Text.Json;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>
/// One dead letter as the operations see it: the bookkeeping the subscriber wrote (<see cref="Record"/>), how often the
/// message had been replayed before it failed this time (<see cref="Replays"/>), and the original entry's fields.
/// </summary>
public sealed class DeadLetter
{
    private readonly (string Name, RedisValue Value)[] _original;

    private DeadLetter(DeadLetterRecord record, int replays, (string Name, RedisValue Value)[] original)
    {
        Record = record;
        Replays = replays;
        _original = original;
    }

    /// <summary>The dead-letter entry's bookkeeping fields.</summary>
    public DeadLetterRecord Record { get; }

    /// <summary>The dead-letter entry id.</summary>
    public string Id => Record.DeadLetterId;

    /// <summary>Replays of this message before this failure: the original entry's
    /// <see cref="ReplayFields.Replays"/>, else 0.</summary>
    public int Replays { get; }

    /// <summary>Every field of the original entry with its original name, values as UTF-8 text, in stored
    /// order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> OriginalFields =>
        _original.Select(f => new KeyValuePair<string, string>(f.Name, (string?)f.Value ?? "")).ToArray();

    /// <summary>The original fields to write back on replay (values as stored, bytes untouched), without the
    /// replay bookkeeping of an earlier replay.</summary>
    internal IEnumerable<(string Name, RedisValue Value)> EnvelopeFields =>
        _original.Where(f => !ReplayFields.IsReplayField(f.Name));

    /// <summary>
    /// A top-level string (or number) property of the payload when the payload is a JSON object, matched ignoring case;
    /// null otherwise. The orders app reads its order id this way.
    /// </summary>
    public string? PayloadProperty(string name)
    {
        var payload = _original.FirstOrDefault(f => f.Name == StreamEnvelope.Payload).Value;
        if (payload.IsNullOrEmpty)
            return null;
        try
        {
            using var document = JsonDocument.Parse((ReadOnlyMemory<byte>)payload);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                    continue;
                return property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    _ => null,
                };
            }
        }
        catch (JsonException)
        {
            // Not JSON: no property to read, which is an answer, not an error.
        }
        return null;
    }

    internal static DeadLetter? TryRead(RawEntry entry)
    {
        var record = DeadLetterCodec.DecodeRecord(entry);
        if (record is null)
            return null;
        var original = DeadLetterCodec.DecodeOriginal(entry);
        var replays = 0;
        foreach (var (name, value) in original)
        {
            if (name == ReplayFields.Replays)
                int.TryParse((string?)value, NumberStyles.None, CultureInfo.InvariantCulture, out replays);
        }
        return new DeadLetter(record, replays, original);
    }
}
