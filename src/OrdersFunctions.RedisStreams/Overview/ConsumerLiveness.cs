using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>
/// When a consumer of a group counts as alive: it took something within <see cref="ClaimMinIdle"/> (after that the
/// others claim its entries), or its subscriber recorded it as seen within <see cref="SeenWithin"/> (Redis before 7.2
/// does not reset the idle time of a consumer whose reads come back empty, so on a quiet stream only the record tells).
/// Both come from the options the group's trigger runs with.
/// </summary>
public sealed record ConsumerLiveness(TimeSpan ClaimMinIdle, TimeSpan SeenWithin)
{
    // A sweep may run up to a ClaimInterval late, and clocks of Redis and of the process differ a little.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    /// <summary>Without a trigger's options: the engine's defaults.</summary>
    public static ConsumerLiveness Default { get; } = Of(new StreamSubscriberOptions());

    /// <summary>The liveness rule of a group whose trigger runs with <paramref name="options"/>.</summary>
    public static ConsumerLiveness Of(StreamSubscriberOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ConsumerLiveness(options.ClaimMinIdle, options.SeenRecordInterval + options.ClaimInterval + Margin);
    }
}
