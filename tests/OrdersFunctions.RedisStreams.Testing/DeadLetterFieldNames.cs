namespace OrdersFunctions.RedisStreams.Testing;

/// <summary>
/// The dead-letter entry's field names, stated here independently of the engine on purpose: they are a wire format
/// that operators and the orders app's status endpoint read, so renaming one in the engine must fail a test.
/// Next to these, the dead-letter entry carries a copy of every field of the original entry.
/// </summary>
public static class DeadLetterFieldNames
{
    public const string OriginalId = "original_id";
    public const string Stream = "stream";
    public const string Group = "group";
    public const string Consumer = "consumer";
    public const string DeliveryCount = "delivery_count";
    public const string ErrorType = "error_type";
    public const string ErrorMessage = "error_message";
    public const string FailedAt = "failed_at";

    /// <summary>The error type of an entry that lacks envelope fields.</summary>
    public const string MalformedEntryErrorType = "MalformedEntry";
}
