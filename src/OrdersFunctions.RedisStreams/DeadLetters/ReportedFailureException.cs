namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>
/// A handler failure that a host has already translated: the engine records <see cref="FailureType"/> and the message
/// as they are, instead of this exception's own type. A host whose invocations fail with a wrapper of its own (the
/// Functions host reports every isolated-worker failure as one exception type, with the worker's failure in its text)
/// unwraps it and throws this, so dead letters name the function's own failure.
/// </summary>
public sealed class ReportedFailureException : Exception
{
    public ReportedFailureException(string failureType, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(failureType);
        FailureType = failureType;
    }

    /// <summary>The failure's own type name, e.g. <c>System.InvalidOperationException</c>.</summary>
    public string FailureType { get; }
}
