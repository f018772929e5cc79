namespace OrdersFunctions.RedisStreams;

/// <summary>Default consumer names: stable for a running instance, distinct between instances.</summary>
public static class ConsumerNames
{
    /// <summary>
    /// <c>WEBSITE_INSTANCE_ID</c> in Azure (stable across restarts of that instance, so its pending entries are picked up
    /// by the same name), otherwise <c>{machine}-{pid}</c> so that two local processes never share a name.
    /// </summary>
    public static string ForThisInstance()
    {
        var instance = Environment.GetEnvironmentVariable("WEBSITE_INSTANCE_ID");
        if (!string.IsNullOrWhiteSpace(instance))
            return instance;
        return $"{Environment.MachineName}-{Environment.ProcessId}";
    }
}
