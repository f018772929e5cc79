using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Testing;

/// <summary>One entry of a dead-letter stream as the engine writes it: where it came from, why it failed, and the
/// original fields. All fields are kept in <see cref="Fields"/> for anything not parsed here.</summary>
public sealed record DeadLetterEntry
{
    /// <summary>The dead-letter entry's own id.</summary>
    public required string Id { get; init; }

    /// <summary>Every field of the dead-letter entry.</summary>
    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    /// <summary>The id of the failed entry in the source stream.</summary>
    public string? OriginalId => Get(DeadLetterFieldNames.OriginalId);

    /// <summary>The group whose handler gave up.</summary>
    public string? Group => Get(DeadLetterFieldNames.Group);

    /// <summary>The consumer that dead-lettered it.</summary>
    public string? Consumer => Get(DeadLetterFieldNames.Consumer);

    /// <summary>Deliveries made before giving up.</summary>
    public int? DeliveryCount => int.TryParse(Get(DeadLetterFieldNames.DeliveryCount), out var n) ? n : null;

    /// <summary>The exception type (or a reason code for unreadable entries).</summary>
    public string? ErrorType => Get(DeadLetterFieldNames.ErrorType);

    /// <summary>The human-readable reason.</summary>
    public string? ErrorMessage => Get(DeadLetterFieldNames.ErrorMessage);

    /// <summary>Parses a raw entry.</summary>
    public static DeadLetterEntry From(StreamEntry entry) => new()
    {
        Id = entry.Id!,
        Fields = entry.Values
            .GroupBy(v => (string)v.Name!)
            .ToDictionary(g => g.Key, g => (string?)g.Last().Value ?? ""),
    };

    private string? Get(string field) => Fields.TryGetValue(field, out var value) ? value : null;

    public override string ToString() => $"{Id}: {string.Join(", ", Fields.Select(f => $"{f.Key}={f.Value}"))}";
}
