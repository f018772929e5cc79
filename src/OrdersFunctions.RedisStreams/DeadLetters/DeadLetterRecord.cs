namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>A dead-letter entry's bookkeeping fields (see <see cref="DeadLetterFields"/>).</summary>
public sealed record DeadLetterRecord(string DeadLetterId, string OriginalId, string Stream, string Group,
    string Consumer, int DeliveryCount, string ErrorType, string ErrorMessage, DateTimeOffset? FailedAt)
{
    /// <summary>The failure as clients and operators may see it: <see cref="ErrorType"/> and <see cref="ErrorMessage"/>
    /// cleaned by <see cref="FailureDescription"/> (one line, no stack frames or paths, bounded). The stored fields
    /// stay as written (filters match them).</summary>
    public FailureDescription Failure => FailureDescription.Of(ErrorType, ErrorMessage);
}
