using System.Globalization;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>
/// The one encoding of a dead-letter entry: <see cref="DeadLetterFields"/> first, then every field of the original
/// entry (one whose name clashes with a bookkeeping field is stored as <c>original_{name}</c>). The writer encodes with
/// it and every reader decodes with it.
/// </summary>
internal static class DeadLetterCodec
{
    /// <summary>The fields of the dead letter of <paramref name="original"/>, in the order they are stored.</summary>
    public static NameValueEntry[] Encode(DeadLetterRecord record, RedisResult[]? original)
    {
        var fields = new List<NameValueEntry>(8 + (original?.Length ?? 0) / 2)
        {
            new(DeadLetterFields.OriginalId, record.OriginalId),
            new(DeadLetterFields.Stream, record.Stream),
            new(DeadLetterFields.Group, record.Group),
            new(DeadLetterFields.Consumer, record.Consumer),
            new(DeadLetterFields.DeliveryCount, record.DeliveryCount),
            new(DeadLetterFields.ErrorType, record.ErrorType),
            new(DeadLetterFields.ErrorMessage, record.ErrorMessage),
            new(DeadLetterFields.FailedAt,
                (record.FailedAt ?? DateTimeOffset.UnixEpoch).UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
        };
        if (original is not null)
        {
            for (var i = 0; i + 1 < original.Length; i += 2)
            {
                var name = (string?)original[i] ?? "";
                if (DeadLetterFields.IsBookkeeping(name))
                    name = DeadLetterFields.ClashPrefix + name;
                fields.Add(new NameValueEntry(name, (RedisValue)original[i + 1]));
            }
        }
        return fields.ToArray();
    }

    /// <summary>The bookkeeping of a stored dead letter; null when the entry is not one (no original id or
    /// group).</summary>
    public static DeadLetterRecord? DecodeRecord(in RawEntry entry)
    {
        if (entry.Fields is null)
            return null;
        string? originalId = null, stream = null, group = null, consumer = null,
            errorType = null, errorMessage = null, failedAt = null;
        var deliveries = 0;
        var fields = entry.Fields;
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            switch ((string?)fields[i])
            {
                case DeadLetterFields.OriginalId: originalId = (string?)fields[i + 1]; break;
                case DeadLetterFields.Stream: stream = (string?)fields[i + 1]; break;
                case DeadLetterFields.Group: group = (string?)fields[i + 1]; break;
                case DeadLetterFields.Consumer: consumer = (string?)fields[i + 1]; break;
                case DeadLetterFields.DeliveryCount:
                    int.TryParse((string?)fields[i + 1], NumberStyles.None, CultureInfo.InvariantCulture,
                        out deliveries);
                    break;
                case DeadLetterFields.ErrorType: errorType = (string?)fields[i + 1]; break;
                case DeadLetterFields.ErrorMessage: errorMessage = (string?)fields[i + 1]; break;
                case DeadLetterFields.FailedAt: failedAt = (string?)fields[i + 1]; break;
            }
        }
        if (originalId is null || group is null)
            return null;
        return new DeadLetterRecord(entry.Id, originalId, stream ?? "", group, consumer ?? "", deliveries,
            errorType ?? "", errorMessage ?? "",
            DateTimeOffset.TryParse(failedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                ? at
                : null);
    }

    /// <summary>The original entry's fields of a stored dead letter, with their original names, in stored
    /// order.</summary>
    public static (string Name, RedisValue Value)[] DecodeOriginal(in RawEntry entry)
    {
        var fields = entry.Fields ?? [];
        var original = new List<(string, RedisValue)>(fields.Length / 2);
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            var name = (string?)fields[i] ?? "";
            if (DeadLetterFields.IsBookkeeping(name))
                continue;
            if (name.StartsWith(DeadLetterFields.ClashPrefix, StringComparison.Ordinal)
                && DeadLetterFields.IsBookkeeping(name[DeadLetterFields.ClashPrefix.Length..]))
                name = name[DeadLetterFields.ClashPrefix.Length..];
            original.Add((name, (RedisValue)fields[i + 1]));
        }
        return original.ToArray();
    }
}
