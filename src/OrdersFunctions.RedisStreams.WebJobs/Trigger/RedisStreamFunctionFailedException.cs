namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>The function invocation for a stream entry failed; the engine keeps the entry pending and retries it.
/// The message is what the dead-letter entry records as the reason, so it carries the function's own error.</summary>
public sealed class RedisStreamFunctionFailedException : Exception
{
    public RedisStreamFunctionFailedException(string functionName, string entryId, Exception? inner)
        : base($"Function '{functionName}' failed for entry {entryId}: {Innermost(inner)?.Message ?? "no error was reported"}", inner)
    {
        FunctionName = functionName;
        EntryId = entryId;
    }

    public string FunctionName { get; }

    public string EntryId { get; }

    // The host wraps the function's exception in FunctionInvocationException (and the worker's in RpcException);
    // the innermost one says what actually went wrong.
    private static Exception? Innermost(Exception? exception)
    {
        while (exception?.InnerException is not null)
            exception = exception.InnerException;
        return exception;
    }
}
