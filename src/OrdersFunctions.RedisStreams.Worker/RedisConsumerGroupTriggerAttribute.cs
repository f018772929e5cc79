using Microsoft.Azure.Functions.Worker.Converters;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace OrdersFunctions.RedisStreams.Worker;

/// <summary>
/// Runs the function for every entry of a Redis stream, as one consumer of a named consumer group. Entries are
/// acknowledged only when the function succeeds; a failing entry is retried with backoff and dead-lettered after
/// <see cref="MaxDeliveries"/> deliveries. Binds to a POCO (the JSON payload), <c>string</c>, <c>byte[]</c>,
/// <c>ReadOnlyMemory&lt;byte&gt;</c> or <see cref="RedisStreamMessage"/>.
/// </summary>
/// <remarks>
/// Property names are the binding's JSON names and must equal those of the host-side attribute
/// (OrdersFunctions.RedisStreams.WebJobs): the Functions host builds that attribute from them.
/// Options left unset take the app-wide settings <c>RedisStreams__{Option}</c>; app settings
/// <c>RedisStreams__Functions__{FunctionName}__{Option}</c> override both.
/// </remarks>
[InputConverter(typeof(RedisStreamMessageConverter))]
[ConverterFallbackBehavior(ConverterFallbackBehavior.Default)]
public sealed class RedisConsumerGroupTriggerAttribute : TriggerBindingAttribute
{
    /// <param name="connection">The <b>name</b> of the app setting (or connection string) holding the
    /// StackExchange.Redis connection string, e.g. <c>RedisConnection</c>. Never the secret itself.</param>
    /// <param name="key">The stream key, e.g. <c>orders-placed</c>, or <c>%Setting%</c>.</param>
    public RedisConsumerGroupTriggerAttribute(string connection, string key)
    {
        Connection = connection;
        Key = key;
    }

    /// <summary>The name of the app setting holding the Redis connection string.</summary>
    public string Connection { get; }

    /// <summary>The stream key; <c>%Setting%</c> resolves from app settings.</summary>
    public string Key { get; }

    /// <summary>The consumer group (required), e.g. <c>notifications</c>; <c>%Setting%</c> resolves from app settings.
    /// Every group gets every entry; within a group each entry goes to one instance.</summary>
    public string? ConsumerGroup { get; set; }

    /// <summary>Entries read per request; 0 for the configured default (256).</summary>
    public int BatchSize { get; set; }

    /// <summary>Invocations running at once per instance; 0 for the configured default (16).</summary>
    public int MaxConcurrency { get; set; }

    /// <summary>Deliveries before an entry is dead-lettered; 0 for the configured default (5).</summary>
    public int MaxDeliveries { get; set; }

    /// <summary>Idle time (<c>hh:mm:ss[.fff]</c>) after which another instance claims an unacknowledged entry;
    /// empty for the configured default (00:00:30). <c>%Setting%</c> allowed.</summary>
    public string? ClaimMinIdle { get; set; }

    /// <summary>Backoff (<c>hh:mm:ss[.fff]</c>) before the first retry of a failed entry, doubling per delivery up to
    /// the configured maximum; empty for the configured default (00:00:01). <c>%Setting%</c> allowed.</summary>
    public string? RetryBackoffInitial { get; set; }

    /// <summary>The dead-letter stream; empty for <c>{key}:dead-letter</c>. <c>%Setting%</c> allowed.</summary>
    public string? DeadLetterStream { get; set; }

    /// <summary>Where a new group starts: <c>Beginning</c> (default: back-fill the stream) or
    /// <c>NewEntriesOnly</c>.</summary>
    public string? StartPosition { get; set; }

    /// <summary>
    /// Set to <c>true</c> for a function that takes a batch: an array of the payload type (<c>OrderPlaced[]</c>),
    /// <c>string[]</c>, <c>byte[][]</c> or <see cref="RedisStreamMessage"/><c>[]</c>, as with the Event Hubs and Kafka
    /// triggers. The build writes <c>cardinality: many</c> into the function metadata for it. One invocation gets up to
    /// <see cref="MaxBatchSize"/> entries; if it fails, none is acknowledged and each is retried on its own.
    /// </summary>
    // The Worker SDK's metadata generator reads this default (its own DefaultValue attribute) when a function leaves it
    // unset.
    [DefaultValue(false)]
    public bool IsBatched { get; set; }

    /// <summary>Batched functions: the most entries one invocation gets; 0 for the configured default (100).</summary>
    public int MaxBatchSize { get; set; }

    /// <summary>Batched functions: how long (<c>hh:mm:ss[.fff]</c>) a read that returned fewer than
    /// <see cref="MaxBatchSize"/> entries keeps waiting for more; empty for the configured default (00:00:00.020).
    /// <c>%Setting%</c> allowed.</summary>
    public string? MaxBatchWait { get; set; }
}
