
namespace OrdersFunctions.RedisStreams.Configuration;

/// <summary>
/// Settings of one subscriber: which stream, group and consumer, and how it reads, retries, reclaims and stops.
/// Defaults are the public constants below. <see cref="StreamSubscriberOptionsValidator"/> checks them all at once.
/// </summary>
public sealed class StreamSubscriberOptions
{
    /// <summary>
    /// The configuration section engine options are bound from (app-wide), e.g. <c>RedisStreams:MaxDeliveries</c>.
    /// </summary>
    public const string SectionName = "RedisStreams";

    public const int DefaultBatchSize = 256;
    public const int DefaultMaxConcurrency = 16;
    public const int DefaultMaxDeliveries = 5;
    public static readonly TimeSpan DefaultBlockTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultClaimMinIdle = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultClaimInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultRetryBackoffInitial = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultRetryBackoffMax = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(10);
    // Minutes, not hours: a live subscriber records itself as seen on every sweep (Redis before 7.2 does not reset the
    // idle time of a consumer whose reads come back empty), and a consumer with pending entries is never deleted, so
    // only dead, empty consumers go, and soon.
    public static readonly TimeSpan DefaultConsumerIdleTimeout = TimeSpan.FromMinutes(5);
    public const bool DefaultRetention = false;
    public static readonly TimeSpan DefaultRetentionMinAge = TimeSpan.FromHours(1);
    public static readonly TimeSpan DefaultRetentionInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultDeadLetterMaxAge = TimeSpan.FromDays(14);
    public const int DefaultMaxBatchSize = 100;
    public static readonly TimeSpan DefaultMaxBatchWait = TimeSpan.FromMilliseconds(20);

    /// <summary>The stream key, e.g. <c>orders-placed</c>. Required.</summary>
    public string Stream { get; set; } = "";

    /// <summary>The consumer group, e.g. <c>notifications</c>. Required.</summary>
    public string Group { get; set; } = "";

    /// <summary>This instance's consumer name: stable per instance, unique per running instance.
    /// Defaults to <see cref="ConsumerNames.ForThisInstance"/>.</summary>
    public string Consumer { get; set; } = ConsumerNames.ForThisInstance();

    /// <summary>Where the group starts if the subscriber creates it.</summary>
    public StreamStartPosition StartPosition { get; set; } = StreamStartPosition.Beginning;

    /// <summary>Entries read per XREADGROUP (1–10,000).</summary>
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>Handlers running at once in this subscriber (1–1,000).</summary>
    public int MaxConcurrency { get; set; } = DefaultMaxConcurrency;

    /// <summary>Deliveries before an entry is dead-lettered (1–1,000). 1 means no retry.</summary>
    public int MaxDeliveries { get; set; } = DefaultMaxDeliveries;

    /// <summary>How long one blocking read waits for new entries before it is sent again (10 ms – 1 min).</summary>
    public TimeSpan BlockTimeout { get; set; } = DefaultBlockTimeout;

    /// <summary>How long an entry must sit unacknowledged on a consumer before another consumer of the group claims it
    /// (the owner is taken to have crashed). Longer than the slowest handler (1 s – 1 day; tests use less:
    /// ≥ 100 ms).</summary>
    public TimeSpan ClaimMinIdle { get; set; } = DefaultClaimMinIdle;

    /// <summary>How often the subscriber looks for entries to retry or claim (10 ms – 1 h).</summary>
    public TimeSpan ClaimInterval { get; set; } = DefaultClaimInterval;

    /// <summary>Backoff before the second delivery of a failed entry; doubles per delivery (0 – 1 h).</summary>
    public TimeSpan RetryBackoffInitial { get; set; } = DefaultRetryBackoffInitial;

    /// <summary>The cap of the doubling backoff (≥ <see cref="RetryBackoffInitial"/>, ≤ 1 day).</summary>
    public TimeSpan RetryBackoffMax { get; set; } = DefaultRetryBackoffMax;

    /// <summary>
    /// Where entries go after <see cref="MaxDeliveries"/> failed deliveries. Default <c>{Stream}:dead-letter</c>.
    /// </summary>
    public string? DeadLetterStream { get; set; }

    /// <summary>
    /// How long shutdown waits for in-flight handlers before cancelling them and leaving their entries pending.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = DefaultShutdownTimeout;

    /// <summary>Other consumers of the group idle longer than this and holding no pending entries are deleted (checked
    /// every <c>min(ConsumerIdleTimeout / 2, 1 min)</c>, at least every ClaimInterval, when each subscriber also
    /// records its own consumer as seen). Keep it above ClaimInterval.</summary>
    public TimeSpan ConsumerIdleTimeout { get; set; } = DefaultConsumerIdleTimeout;

    /// <summary>Whether this subscriber trims its stream to the safe floor of every group (see
    /// <c>StreamRetention</c>) and its dead-letter stream to <see cref="DeadLetterMaxAge"/>. Off by default in
    /// the engine, so a library user never loses entries without asking; the app turns it on.</summary>
    public bool Retention { get; set; } = DefaultRetention;

    /// <summary>
    /// Entries younger than this are kept even when every group has acknowledged them (0 – 365 days).
    /// </summary>
    public TimeSpan RetentionMinAge { get; set; } = DefaultRetentionMinAge;

    /// <summary>Safety valve, off (null) by default: entries older than this are trimmed even though a group has not
    /// acknowledged them; each time, a warning names the group and what it lost.
    /// ≥ <see cref="RetentionMinAge"/>.</summary>
    public TimeSpan? RetentionMaxAge { get; set; }

    /// <summary>Safety valve, off (null) by default: the stream is trimmed to about this many newest entries even
    /// though a group has not acknowledged the older ones (1 – 2^31).</summary>
    public long? RetentionMaxLength { get; set; }

    /// <summary>How often a subscriber runs retention, at most (1 s – 1 day; tests use less: ≥ 10 ms).</summary>
    public TimeSpan RetentionInterval { get; set; } = DefaultRetentionInterval;

    /// <summary>
    /// Dead letters older than this are trimmed when <see cref="Retention"/> is on (1 min – 10 years).
    /// </summary>
    public TimeSpan DeadLetterMaxAge { get; set; } = DefaultDeadLetterMaxAge;

    /// <summary>Batched handlers only (subscribers made with <c>StreamSubscriber.ForBatches</c>): the most entries one
    /// invocation gets (1–10,000).</summary>
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;

    /// <summary>Batched handlers only: when a read returns fewer than <see cref="MaxBatchSize"/> entries, how long the
    /// subscriber keeps reading to fill the batch before it invokes the handler with what it has (0 – 10 s; 0 never
    /// waits). The latency a quiet stream pays for fuller batches.</summary>
    public TimeSpan MaxBatchWait { get; set; } = DefaultMaxBatchWait;

    /// <summary>The dead-letter stream in effect.</summary>
    public string EffectiveDeadLetterStream =>
        string.IsNullOrWhiteSpace(DeadLetterStream) ? DefaultDeadLetterStream(Stream) : DeadLetterStream!;

    /// <summary>Where the dead letters of <paramref name="stream"/> go unless a trigger says otherwise:
    /// <c>{stream}:dead-letter</c>.</summary>
    public static string DefaultDeadLetterStream(string stream) => stream + ":dead-letter";

    /// <summary>How often a subscriber records its consumer as seen (with its dead-consumer cleanup):
    /// <c>ConsumerIdleTimeout / 2</c>, at least ClaimInterval, at most a minute.</summary>
    public TimeSpan SeenRecordInterval
    {
        get
        {
            var interval = ConsumerIdleTimeout / 2;
            if (interval < ClaimInterval) interval = ClaimInterval;
            return interval > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : interval;
        }
    }

    /// <summary>
    /// A copy that later changes to this instance do not affect (every property is a value or a string).
    /// </summary>
    internal StreamSubscriberOptions Clone() => (StreamSubscriberOptions)MemberwiseClone();

    /// <summary>The backoff before delivery number <paramref name="nextDelivery"/> (2 for the first retry).</summary>
    public TimeSpan BackoffBefore(int nextDelivery)
    {
        if (nextDelivery <= 1) return TimeSpan.Zero;
        var factor = Math.Pow(2, Math.Min(nextDelivery - 2, 30));
        var ticks = Math.Min(RetryBackoffInitial.Ticks * factor, RetryBackoffMax.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
