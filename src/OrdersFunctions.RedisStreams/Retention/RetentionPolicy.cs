using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.RedisStreams.Retention;

/// <summary>
/// What retention keeps: entries younger than <see cref="MinAge"/> always; older ones until every group of the stream
/// has acknowledged them, unless a safety valve (<see cref="MaxAge"/>, <see cref="MaxLength"/>) says otherwise; dead
/// letters for <see cref="DeadLetterMaxAge"/>. See <see cref="StreamRetention"/>.
/// </summary>
/// <param name="MinAge">Keep entries at least this long, even when every group has acknowledged them.</param>
/// <param name="MaxAge">Safety valve: trim entries older than this even if a group lags; null = off.</param>
/// <param name="MaxLength">Safety valve: keep about this many newest entries even if a group lags; null = off.</param>
/// <param name="DeadLetterMaxAge">Trim dead letters older than this.</param>
public sealed record RetentionPolicy(TimeSpan MinAge, TimeSpan? MaxAge = null, long? MaxLength = null,
    TimeSpan? DeadLetterMaxAge = null)
{
    /// <summary>The policy the engine's defaults describe (1 hour minimum age, no valve, 14 days of dead
    /// letters).</summary>
    public static RetentionPolicy Default { get; } = From(new StreamSubscriberOptions());

    /// <summary>The policy set by a subscriber's options (whether or not its <c>Retention</c> is on).</summary>
    public static RetentionPolicy From(StreamSubscriberOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RetentionPolicy(options.RetentionMinAge, options.RetentionMaxAge, options.RetentionMaxLength,
            options.DeadLetterMaxAge);
    }
}
