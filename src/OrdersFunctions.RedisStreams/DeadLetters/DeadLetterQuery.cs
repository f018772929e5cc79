namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>Which dead letters to list, replay or discard. Every filter is optional; all given ones must
/// match.</summary>
public sealed record DeadLetterQuery
{
    /// <summary>The most <see cref="Limit"/> may be.</summary>
    public const int MaxLimit = 500;

    /// <summary>The default page size.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The dead-letter stream to read, e.g. <c>orders-placed:dead-letter</c>.</summary>
    public required string DeadLetterStream { get; init; }

    /// <summary>Only dead letters of this source stream (a dead-letter stream may be shared).</summary>
    public string? Stream { get; init; }

    /// <summary>Only dead letters of this consumer group.</summary>
    public string? Group { get; init; }

    /// <summary>Only dead letters with this error type (exact, e.g. <c>System.InvalidOperationException</c>).</summary>
    public string? ErrorType { get; init; }

    /// <summary>Only dead letters that failed at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only dead letters that failed at or before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Page size for listing, 1–<see cref="MaxLimit"/>; ignored by the bulk operations.</summary>
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>Continue after this dead-letter id (a previous page's <see cref="DeadLetterPage.Next"/>).</summary>
    public string? After { get; init; }

    internal bool Matches(DeadLetter deadLetter)
    {
        var record = deadLetter.Record;
        return (Stream is null || record.Stream == Stream)
            && (Group is null || record.Group == Group)
            && (ErrorType is null || record.ErrorType == ErrorType)
            && (From is null || (record.FailedAt is { } at && at >= From))
            && (To is null || (record.FailedAt is { } until && until <= To));
    }
}

/// <summary>A page of dead letters, oldest first.</summary>
/// <param name="Items">The matching dead letters (at most the query's limit; possibly none even when
/// <paramref name="Next"/> is set, when a scan found nothing in its bounded stretch).</param>
/// <param name="Next">Pass as <see cref="DeadLetterQuery.After"/> for the next page; null at the end.</param>
public sealed record DeadLetterPage(IReadOnlyList<DeadLetter> Items, string? Next);
