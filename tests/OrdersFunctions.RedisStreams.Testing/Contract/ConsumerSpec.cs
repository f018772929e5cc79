namespace OrdersFunctions.RedisStreams.Testing.Contract;

/// <summary>
/// What a contract scenario asks an adapter to run: one consumer of one group on one stream, with the engine options
/// that scenarios shorten. Defaults suit tests (fast retries and claims); each adapter maps them onto its own way of
/// configuring the engine (options object, trigger attribute, app settings).
/// </summary>
/// <param name="Stream">The stream key.</param>
/// <param name="Group">The consumer group.</param>
/// <param name="Consumer">This consumer's name, unique per running consumer in the scenario.</param>
public sealed record ConsumerSpec(string Stream, string Group, string Consumer)
{
    /// <summary>Deliveries before an entry is dead-lettered.</summary>
    public int MaxDeliveries { get; init; } = 5;

    /// <summary>Idle time after which another consumer claims an entry (long by default so nothing is claimed
    /// unless a scenario wants it).</summary>
    public TimeSpan ClaimMinIdle { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the consumer looks for entries to retry or claim.</summary>
    public TimeSpan ClaimInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Backoff before the first retry (doubling, capped at <see cref="RetryBackoffMax"/>).</summary>
    public TimeSpan RetryBackoffInitial { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The backoff cap.</summary>
    public TimeSpan RetryBackoffMax { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a graceful stop waits for in-flight handlers.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Handlers running at once in this consumer.</summary>
    public int MaxConcurrency { get; init; } = 16;

    /// <summary>Entries read per request.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>How long one blocking read waits before it is sent again.</summary>
    public TimeSpan BlockTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The dead-letter stream, or null for the engine's default <c>{Stream}:dead-letter</c>.</summary>
    public string? DeadLetterStream { get; init; }

    /// <summary>The dead-letter stream in effect.</summary>
    public string EffectiveDeadLetterStream => DeadLetterStream ?? Stream + ":dead-letter";
}
