namespace OrdersFunctions.RedisStreams.Configuration;

/// <summary>Default consumer names: stable for an instance across its restarts, distinct between instances running at
/// the same time, never the process id alone.</summary>
public static class ConsumerNames
{
    /// <summary>The App Service setting that names the instance in Azure.</summary>
    public const string InstanceIdVariable = "WEBSITE_INSTANCE_ID";

    // Taken on first use and held until the process exits (the OS then releases it).
    private static readonly Lazy<string> ProcessSlotName =
        new(TakeProcessSlot, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// <c>WEBSITE_INSTANCE_ID</c> when set (Azure sets it; it is stable across restarts of that instance). Otherwise
    /// <c>{machine}-{slot}</c>: the lowest <see cref="ConsumerSlot"/> free on this machine, held by this process for
    /// its lifetime, so a restart gets the same name back and two processes at once get two names.
    /// </summary>
    public static string ForThisInstance() => InstanceId() ?? ProcessSlotName.Value;

    /// <summary>The <c>WEBSITE_INSTANCE_ID</c> variable, or null when unset or blank.</summary>
    public static string? InstanceId() =>
        Environment.GetEnvironmentVariable(InstanceIdVariable) is { } id && !string.IsNullOrWhiteSpace(id)
            ? id.Trim()
            : null;

    private static string TakeProcessSlot()
    {
        try
        {
            return ConsumerSlot.Take().Name;
        }
        catch (IOException)
        {
            // No usable temp folder: a name per process is still correct (distinct), only not reused after a restart,
            // and the consumer cleanup removes the old one once it has nothing pending.
            return $"{Environment.MachineName}-pid{Environment.ProcessId}";
        }
    }
}
