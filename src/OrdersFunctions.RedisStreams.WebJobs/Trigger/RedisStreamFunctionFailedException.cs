namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>The host reported a failed invocation for a stream entry without saying why. The engine keeps the entry
/// pending and retries it; the dead-letter entry records this message when the retries run out.</summary>
public sealed class RedisStreamFunctionFailedException : Exception
{
    public RedisStreamFunctionFailedException(string functionName, string entryId)
        : base($"Function '{functionName}' failed for entry {entryId}; the host reported no error.")
    {
        FunctionName = functionName;
        EntryId = entryId;
    }

    public string FunctionName { get; }

    public string EntryId { get; }
}
