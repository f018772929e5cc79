using Microsoft.Extensions.Options;

namespace OrdersFunctions.RedisStreams.Configuration;

/// <summary>Checks every option of a <see cref="StreamSubscriberOptions"/> and reports all problems at once,
/// each naming the option and the allowed range. It never changes what it checks.</summary>
public sealed class StreamSubscriberOptionsValidator : IValidateOptions<StreamSubscriberOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamSubscriberOptions options)
    {
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, or returns.</summary>
    public static void ThrowIfInvalid(StreamSubscriberOptions options, string? optionsName = null)
    {
        var errors = Check(options);
        if (errors.Count > 0)
            throw new OptionsValidationException(
                optionsName ?? Options.DefaultName, typeof(StreamSubscriberOptions), errors);
    }

    /// <summary>The problems with <paramref name="options"/>; empty when they are valid.</summary>
    public static IReadOnlyList<string> Check(StreamSubscriberOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        RequireName(errors, nameof(options.Stream), options.Stream, "the stream key, e.g. 'orders-placed'");
        RequireName(errors, nameof(options.Group), options.Group, "the consumer group, e.g. 'notifications'");
        RequireName(errors, nameof(options.Consumer), options.Consumer, "this instance's consumer name");
        if (options.DeadLetterStream is not null && string.IsNullOrWhiteSpace(options.DeadLetterStream))
            errors.Add("DeadLetterStream is blank: leave it unset for '{Stream}:dead-letter' or name a stream.");
        else if (options.DeadLetterStream is not null && options.DeadLetterStream == options.Stream)
            errors.Add($"DeadLetterStream '{options.DeadLetterStream}' is the stream itself: " +
                "dead letters would be read again.");
        if (!Enum.IsDefined(options.StartPosition))
            errors.Add($"StartPosition {(int)options.StartPosition} is not one of " +
                $"{string.Join(", ", Enum.GetNames<StreamStartPosition>())}.");

        InRange(errors, nameof(options.BatchSize), options.BatchSize, 1, 10_000);
        InRange(errors, nameof(options.MaxConcurrency), options.MaxConcurrency, 1, 1_000);
        InRange(errors, nameof(options.MaxDeliveries), options.MaxDeliveries, 1, 1_000);
        InRange(errors, nameof(options.BlockTimeout), options.BlockTimeout,
            TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        InRange(errors, nameof(options.ClaimMinIdle), options.ClaimMinIdle,
            TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1));
        InRange(errors, nameof(options.ClaimInterval), options.ClaimInterval,
            TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        InRange(errors, nameof(options.RetryBackoffInitial), options.RetryBackoffInitial,
            TimeSpan.Zero, TimeSpan.FromHours(1));
        InRange(errors, nameof(options.RetryBackoffMax), options.RetryBackoffMax,
            options.RetryBackoffInitial, TimeSpan.FromDays(1));
        InRange(errors, nameof(options.ShutdownTimeout), options.ShutdownTimeout,
            TimeSpan.Zero, TimeSpan.FromMinutes(10));
        InRange(errors, nameof(options.ConsumerIdleTimeout), options.ConsumerIdleTimeout,
            TimeSpan.FromSeconds(1), TimeSpan.FromDays(365));
        InRange(errors, nameof(options.RetentionMinAge), options.RetentionMinAge,
            TimeSpan.Zero, TimeSpan.FromDays(365));
        if (options.RetentionMaxAge is { } maxAge)
            InRange(errors, nameof(options.RetentionMaxAge), maxAge, options.RetentionMinAge, TimeSpan.FromDays(3650));
        if (options.RetentionMaxLength is { } maxLength)
            InRange(errors, nameof(options.RetentionMaxLength), maxLength, 1L, int.MaxValue + 1L);
        InRange(errors, nameof(options.RetentionInterval), options.RetentionInterval,
            TimeSpan.FromMilliseconds(10), TimeSpan.FromDays(1));
        InRange(errors, nameof(options.MaxBatchSize), options.MaxBatchSize, 1, 10_000);
        InRange(errors, nameof(options.MaxBatchWait), options.MaxBatchWait, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        InRange(errors, nameof(options.DeadLetterMaxAge), options.DeadLetterMaxAge,
            TimeSpan.FromMinutes(1), TimeSpan.FromDays(3650));
        return errors;
    }

    private static void RequireName(List<string> errors, string option, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors.Add($"{option} is empty: set it to {what}.");
    }

    private static void InRange<T>(List<string> errors, string option, T value, T min, T max) where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
            errors.Add($"{option} is {value}: it must be between {min} and {max}.");
    }
}
