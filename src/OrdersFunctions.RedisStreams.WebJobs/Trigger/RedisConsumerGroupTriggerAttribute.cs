using Microsoft.Azure.WebJobs.Description;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// The host-side twin of the worker's <c>RedisConsumerGroupTriggerAttribute</c>. The Functions host builds it from the
/// binding JSON in functions.metadata, matching constructor parameter and property names, so every name and type here
/// must equal the worker attribute's (a test in OrdersFunctions.RedisStreams.WebJobs.Tests checks it).
/// <c>%Setting%</c> references in the string properties are resolved by the trigger binding provider.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
[Binding]
public sealed class RedisConsumerGroupTriggerAttribute : Attribute
{
    public RedisConsumerGroupTriggerAttribute(string connection, string key)
    {
        Connection = connection;
        Key = key;
    }

    /// <summary>The name of the app setting (or connection string) holding the StackExchange.Redis connection
    /// string.</summary>
    public string Connection { get; }

    /// <summary>The stream key; <c>%Setting%</c> allowed.</summary>
    [AutoResolve]
    public string Key { get; }

    /// <summary>The consumer group (required); <c>%Setting%</c> allowed.</summary>
    [AutoResolve]
    public string? ConsumerGroup { get; set; }

    /// <summary>Entries read per request; 0 = configured default.</summary>
    public int BatchSize { get; set; }

    /// <summary>Invocations running at once per instance; 0 = configured default.</summary>
    public int MaxConcurrency { get; set; }

    /// <summary>Deliveries before an entry is dead-lettered; 0 = configured default.</summary>
    public int MaxDeliveries { get; set; }

    /// <summary>Idle time (<c>hh:mm:ss[.fff]</c>) before another instance claims an unacknowledged entry.</summary>
    [AutoResolve]
    public string? ClaimMinIdle { get; set; }

    /// <summary>Backoff (<c>hh:mm:ss[.fff]</c>) before the first retry of a failed entry; doubles per
    /// delivery.</summary>
    [AutoResolve]
    public string? RetryBackoffInitial { get; set; }

    /// <summary>The dead-letter stream; empty for <c>{key}:dead-letter</c>.</summary>
    [AutoResolve]
    public string? DeadLetterStream { get; set; }

    /// <summary><c>Beginning</c> or <c>NewEntriesOnly</c>: where a group the trigger creates starts.</summary>
    [AutoResolve]
    public string? StartPosition { get; set; }

    /// <summary>Whether the function takes a batch (an array parameter). The Functions host never sets it: the worker
    /// turns <c>IsBatched = true</c> into <c>cardinality: many</c>, and the host then asks for an array, which is what
    /// makes a binding batched here. In-process functions may set it for clarity; it then requires an array.</summary>
    public bool IsBatched { get; set; }

    /// <summary>Batched functions: the most entries one invocation gets; 0 = configured default (100).</summary>
    public int MaxBatchSize { get; set; }

    /// <summary>Batched functions: how long (<c>hh:mm:ss[.fff]</c>) a short read waits to fill a batch; empty =
    /// configured default (00:00:00.020).</summary>
    [AutoResolve]
    public string? MaxBatchWait { get; set; }
}
