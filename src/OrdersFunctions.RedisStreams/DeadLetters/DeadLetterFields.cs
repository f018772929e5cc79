namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>
/// Fields the subscriber writes to a dead-letter entry, next to a copy of every field of the original entry
/// (an original field whose name clashes with one of these is copied as <c>original_{name}</c>).
/// </summary>
public static class DeadLetterFields
{
    /// <summary>The entry id in the source stream.</summary>
    public const string OriginalId = "original_id";

    /// <summary>The source stream key.</summary>
    public const string Stream = "stream";

    /// <summary>The consumer group that gave up on the entry.</summary>
    public const string Group = "group";

    /// <summary>The consumer that made the last delivery.</summary>
    public const string Consumer = "consumer";

    /// <summary>How many deliveries were made in that group.</summary>
    public const string DeliveryCount = "delivery_count";

    /// <summary>The exception type name of the last failure, or <see cref="MalformedEntryErrorType"/> /
    /// <see cref="DeliveryLimitErrorType"/>.</summary>
    public const string ErrorType = "error_type";

    /// <summary>The last failure's message, or the reason the entry could not be read.</summary>
    public const string ErrorMessage = "error_message";

    /// <summary>When it was dead-lettered, ISO 8601 UTC.</summary>
    public const string FailedAt = "failed_at";

    /// <summary><see cref="ErrorType"/> of an entry that lacks envelope fields.</summary>
    public const string MalformedEntryErrorType = "MalformedEntry";

    /// <summary><see cref="ErrorType"/> of an entry that reached the delivery limit without a recorded failure
    /// (its consumers crashed or timed out while handling it).</summary>
    public const string DeliveryLimitErrorType = "DeliveryLimitExceeded";

    /// <summary>The prefix given to an original field whose name clashes with one of these.</summary>
    internal const string ClashPrefix = "original_";

    /// <summary>Whether <paramref name="name"/> is one of the bookkeeping fields above.</summary>
    internal static bool IsBookkeeping(string name) =>
        name is OriginalId or Stream or Group or Consumer or DeliveryCount or ErrorType or ErrorMessage or FailedAt;
}
