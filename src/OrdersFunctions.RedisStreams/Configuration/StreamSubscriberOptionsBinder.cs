using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace OrdersFunctions.RedisStreams.Configuration;

/// <summary>
/// Reads <see cref="StreamSubscriberOptions"/> from configuration sections and from explicit values (such as a trigger
/// attribute's properties), so that every host adapter parses the same option names the same way. Names are
/// case-insensitive; every value that cannot be parsed is added to the caller's error list, naming where it came from,
/// so that all problems are reported at once. Names that are not engine options are ignored: a section may carry other
/// components' settings. Stream and Group are not read here: each adapter takes them from its trigger.
/// </summary>
/// <remarks>The binder knows no host: the callers name the sections (e.g. host.json's section, app settings).</remarks>
public static class StreamSubscriberOptionsBinder
{
    /// <summary>The option names this binder reads, as they appear in configuration (case-insensitive).</summary>
    public static IReadOnlyList<string> OptionNames { get; } =
    [
        nameof(StreamSubscriberOptions.BatchSize),
        nameof(StreamSubscriberOptions.MaxConcurrency),
        nameof(StreamSubscriberOptions.MaxDeliveries),
        nameof(StreamSubscriberOptions.BlockTimeout),
        nameof(StreamSubscriberOptions.ClaimMinIdle),
        nameof(StreamSubscriberOptions.ClaimInterval),
        nameof(StreamSubscriberOptions.RetryBackoffInitial),
        nameof(StreamSubscriberOptions.RetryBackoffMax),
        nameof(StreamSubscriberOptions.ShutdownTimeout),
        nameof(StreamSubscriberOptions.ConsumerIdleTimeout),
        nameof(StreamSubscriberOptions.DeadLetterStream),
        nameof(StreamSubscriberOptions.Consumer),
        nameof(StreamSubscriberOptions.StartPosition),
        nameof(StreamSubscriberOptions.Retention),
        nameof(StreamSubscriberOptions.RetentionMinAge),
        nameof(StreamSubscriberOptions.RetentionMaxAge),
        nameof(StreamSubscriberOptions.RetentionMaxLength),
        nameof(StreamSubscriberOptions.RetentionInterval),
        nameof(StreamSubscriberOptions.DeadLetterMaxAge),
        nameof(StreamSubscriberOptions.MaxBatchSize),
        nameof(StreamSubscriberOptions.MaxBatchWait),
    ];

    /// <summary>
    /// Applies the layers in order, later ones winning: each of <paramref name="appWideSections"/> in the order given;
    /// then <paramref name="explicitValues"/> (option name to value, e.g. from <see cref="ExplicitValuesOf"/>; null or
    /// empty values are skipped); then <paramref name="perFunctionSection"/>. The engine's defaults, already in
    /// <paramref name="options"/>, are the bottom layer.
    /// </summary>
    /// <param name="options">The options to change; hold the defaults (and whatever the caller set) on entry.</param>
    /// <param name="appWideSections">Sections applying to every function, lowest first
    /// (e.g. host.json's, then app settings').</param>
    /// <param name="explicitValues">Option name to value, e.g. a trigger attribute's;
    /// null or empty means "not set".</param>
    /// <param name="explicitSource">Where the explicit values come from, for error messages, e.g. "the attribute":
    /// an error then reads "ClaimMinIdle on the attribute is 'soon': …".</param>
    /// <param name="perFunctionSection">The section of this one function, or null.</param>
    /// <param name="errors">Receives one message per value that cannot be parsed.</param>
    public static void ApplyLayers(
        StreamSubscriberOptions options,
        IEnumerable<IConfigurationSection> appWideSections,
        IEnumerable<KeyValuePair<string, string?>> explicitValues,
        string explicitSource,
        IConfigurationSection? perFunctionSection,
        ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(appWideSections);
        ArgumentNullException.ThrowIfNull(explicitValues);
        foreach (var section in appWideSections)
            Apply(options, section, errors);
        foreach (var (name, value) in explicitValues)
        {
            if (!string.IsNullOrWhiteSpace(value))
                Set(options, name, value.Trim(), $"{name} on {explicitSource}", errors);
        }
        if (perFunctionSection is not null)
            Apply(options, perFunctionSection, errors);
    }

    /// <summary>Applies every option set in <paramref name="section"/> (its direct children). Subsections and empty
    /// values are skipped: an empty app setting means "not set".</summary>
    public static void Apply(StreamSubscriberOptions options, IConfigurationSection section, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(section);
        foreach (var child in section.GetChildren())
        {
            if (string.IsNullOrWhiteSpace(child.Value))
                continue;
            Set(options, child.Key, child.Value.Trim(), SettingNames.AsWritten(child.Path), errors);
        }
    }

    /// <summary>Sets one option by name (case-insensitive) from its text.</summary>
    /// <param name="options">The options to change.</param>
    /// <param name="optionName">An option name such as <c>MaxDeliveries</c>, any case.</param>
    /// <param name="value">The text: a whole number, a time span (<c>hh:mm:ss[.fff]</c>),
    /// a name or a start position.</param>
    /// <param name="errors">Receives a message when <paramref name="value"/> cannot be parsed.</param>
    /// <param name="where">Names the value's origin in an error, e.g. "setting 'RedisStreams:MaxDeliveries'".</param>
    /// <returns>False when <paramref name="optionName"/> is not an engine option (nothing is set, no error).</returns>
    public static bool Set(
        StreamSubscriberOptions options, string optionName, string value, string where, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(optionName);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(errors);
        switch (optionName.ToLowerInvariant())
        {
            case "batchsize": SetInt(value, where, v => options.BatchSize = v, errors); return true;
            case "maxconcurrency": SetInt(value, where, v => options.MaxConcurrency = v, errors); return true;
            case "maxdeliveries": SetInt(value, where, v => options.MaxDeliveries = v, errors); return true;
            case "blocktimeout": SetTime(value, where, v => options.BlockTimeout = v, errors); return true;
            case "claimminidle": SetTime(value, where, v => options.ClaimMinIdle = v, errors); return true;
            case "claiminterval": SetTime(value, where, v => options.ClaimInterval = v, errors); return true;
            case "retrybackoffinitial":
                SetTime(value, where, v => options.RetryBackoffInitial = v, errors); return true;
            case "retrybackoffmax": SetTime(value, where, v => options.RetryBackoffMax = v, errors); return true;
            case "shutdowntimeout": SetTime(value, where, v => options.ShutdownTimeout = v, errors); return true;
            case "consumeridletimeout":
                SetTime(value, where, v => options.ConsumerIdleTimeout = v, errors); return true;
            case "deadletterstream": options.DeadLetterStream = value; return true;
            case "consumer": options.Consumer = value; return true;
            case "startposition": SetStartPosition(value, where, options, errors); return true;
            case "retention": SetBool(value, where, v => options.Retention = v, errors); return true;
            case "retentionminage": SetTime(value, where, v => options.RetentionMinAge = v, errors); return true;
            case "retentionmaxage":
                SetOptional(value, where, v => SetTime(v, where, t => options.RetentionMaxAge = t, errors),
                    () => options.RetentionMaxAge = null);
                return true;
            case "retentionmaxlength":
                SetOptional(value, where, v => SetLong(v, where, l => options.RetentionMaxLength = l, errors),
                    () => options.RetentionMaxLength = null);
                return true;
            case "retentioninterval": SetTime(value, where, v => options.RetentionInterval = v, errors); return true;
            case "deadlettermaxage": SetTime(value, where, v => options.DeadLetterMaxAge = v, errors); return true;
            case "maxbatchsize": SetInt(value, where, v => options.MaxBatchSize = v, errors); return true;
            case "maxbatchwait": SetTime(value, where, v => options.MaxBatchWait = v, errors); return true;
            default: return false;
        }
    }

    /// <summary>
    /// The option values set on <paramref name="source"/> (e.g. a trigger attribute): its public readable properties
    /// named like an option, as invariant text. 0 and null/empty strings mean "not set" and are left out, so
    /// configured values stay. Found by name, so an option added to an attribute later needs no change here.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> ExplicitValuesOf(object source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var values = new List<KeyValuePair<string, string?>>();
        foreach (var property in source.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0
                || !OptionNames.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                continue;
            var text = property.GetValue(source) switch
            {
                int i when i != 0 => i.ToString(CultureInfo.InvariantCulture),
                string s when s.Length > 0 => s,
                _ => null,
            };
            if (text is not null)
                values.Add(new KeyValuePair<string, string?>(property.Name, text));
        }
        return values;
    }

    private static void SetInt(string value, string where, Action<int> set, ICollection<string> errors)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) set(parsed);
        else errors.Add($"{where} is '{value}': it must be a whole number.");
    }

    private static void SetLong(string value, string where, Action<long> set, ICollection<string> errors)
    {
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) set(parsed);
        else errors.Add($"{where} is '{value}': it must be a whole number, or 'off'.");
    }

    private static void SetBool(string value, string where, Action<bool> set, ICollection<string> errors)
    {
        // "on"/"off" read better in app settings; true/false is what host.json's JSON booleans become.
        switch (value.ToLowerInvariant())
        {
            case "true" or "on" or "1": set(true); break;
            case "false" or "off" or "0": set(false); break;
            default: errors.Add($"{where} is '{value}': it must be true/on or false/off."); break;
        }
    }

    // An empty value means "not set" everywhere in the binder, so switching a safety valve off again in a later layer
    // needs a word of its own.
    private static void SetOptional(string value, string where, Action<string> set, Action clear)
    {
        if (value.Equals("off", StringComparison.OrdinalIgnoreCase)
            || value.Equals("none", StringComparison.OrdinalIgnoreCase))
            clear();
        else
            set(value);
    }

    private static void SetTime(string value, string where, Action<TimeSpan> set, ICollection<string> errors)
    {
        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var parsed)) set(parsed);
        else errors.Add($"{where} is '{value}': it must be a time span such as '00:00:30' (hh:mm:ss[.fff]).");
    }

    private static void SetStartPosition(
        string value, string where, StreamSubscriberOptions options, ICollection<string> errors)
    {
        // Only the names: Enum.TryParse would also take "7" and produce an undefined position.
        var name = Enum.GetNames<StreamStartPosition>()
            .FirstOrDefault(n => n.Equals(value, StringComparison.OrdinalIgnoreCase));
        if (name is null)
            errors.Add($"{where} is '{value}': " +
                $"it must be one of {string.Join(", ", Enum.GetNames<StreamStartPosition>())}.");
        else
            options.StartPosition = Enum.Parse<StreamStartPosition>(name);
    }
}
