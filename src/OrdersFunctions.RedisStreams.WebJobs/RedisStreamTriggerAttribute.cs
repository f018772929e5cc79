using Microsoft.Azure.WebJobs.Description;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// The host-side twin of the worker's <c>RedisStreamTriggerAttribute</c>. The Functions host builds it from the
/// binding JSON in functions.metadata, matching constructor parameter and property names, so every name here must
/// equal the worker attribute's.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
[Binding]
public sealed class RedisStreamTriggerAttribute : Attribute
{
    public RedisStreamTriggerAttribute(string connection, string key)
    {
        Connection = connection;
        Key = key;
    }

    /// <summary>The name of the app setting holding the StackExchange.Redis connection string.</summary>
    public string Connection { get; }

    /// <summary>The stream key.</summary>
    [AutoResolve]
    public string Key { get; }

    [AutoResolve]
    public string? ConsumerGroup { get; set; }

    public int BatchSize { get; set; }

    public int MaxConcurrency { get; set; }

    public int MaxDeliveries { get; set; }

    [AutoResolve]
    public string? ClaimMinIdle { get; set; }

    [AutoResolve]
    public string? DeadLetterStream { get; set; }

    public string? StartPosition { get; set; }
}
