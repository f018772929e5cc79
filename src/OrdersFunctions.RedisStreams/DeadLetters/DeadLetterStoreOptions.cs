using Microsoft.Extensions.Options;

namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>Settings of <see cref="DeadLetterStore"/>.</summary>
public sealed class DeadLetterStoreOptions
{
    /// <summary>The default <see cref="ReplayCap"/>.</summary>
    public const int DefaultReplayCap = 3;

    /// <summary>Replays a message may have had before a replay is refused unless forced. Default 3.</summary>
    public int ReplayCap { get; set; } = DefaultReplayCap;

    /// <summary>How long the outcome of a replay or discard is kept (what makes a second replay a conflict and what the
    /// status reader follows). Keep it at least as long as dead letters are kept. Default 14 days.</summary>
    public TimeSpan OutcomeRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>A replay that began this long ago and never finished (its process died between writing the new entry
    /// and recording it) may be taken over by a forced replay. Default 1 minute.</summary>
    public TimeSpan StaleReplayAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Dead letters one list call reads at most before it returns a page with a <c>next</c> cursor, so a
    /// narrow filter over a long stream never turns into one unbounded scan: a few milliseconds of Redis time per page
    /// however many dead letters there are; the caller follows <c>next</c> for more. Default 2,000.</summary>
    public int MaxScanPerPage { get; set; } = 2_000;

    internal DeadLetterStoreOptions Clone() => (DeadLetterStoreOptions)MemberwiseClone();
}

/// <summary>Checks <see cref="DeadLetterStoreOptions"/>, reporting every problem at once; changes nothing.</summary>
public sealed class DeadLetterStoreOptionsValidator : IValidateOptions<DeadLetterStoreOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DeadLetterStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Problems(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static void ThrowIfInvalid(DeadLetterStoreOptions options)
    {
        var errors = Problems(options);
        if (errors.Count > 0)
            throw new OptionsValidationException(nameof(DeadLetterStoreOptions), typeof(DeadLetterStoreOptions),
                errors);
    }

    private static List<string> Problems(DeadLetterStoreOptions options)
    {
        var errors = new List<string>();
        if (options.ReplayCap < 0)
            errors.Add($"ReplayCap is {options.ReplayCap}: use 0 (every replay must be forced) or more; " +
                $"default {DeadLetterStoreOptions.DefaultReplayCap}.");
        if (options.OutcomeRetention <= TimeSpan.Zero)
            errors.Add($"OutcomeRetention is {options.OutcomeRetention}: use a positive time, " +
                "at least the dead-letter retention (default 14 days).");
        if (options.StaleReplayAfter <= TimeSpan.Zero)
            errors.Add($"StaleReplayAfter is {options.StaleReplayAfter}: use a positive time, e.g. 00:01:00.");
        if (options.MaxScanPerPage < DeadLetterQuery.MaxLimit)
            errors.Add($"MaxScanPerPage is {options.MaxScanPerPage}: " +
                $"use at least {DeadLetterQuery.MaxLimit} (the largest page).");
        return errors;
    }
}
