using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace OrdersFunctions.RedisStreams.Configuration;

/// <summary>
/// The one place that works out the options a stream trigger runs with. Every host and every face asks it: the
/// Functions host's extension, the local host, the app's operations surface, the scale monitor and the command line,
/// so what an operator sees is judged by the options the trigger really uses. Layers, later ones winning:
/// <list type="number">
/// <item>the engine's defaults, then the host's own (e.g. the Functions host's shorter shutdown budget);</item>
/// <item>host.json <c>extensions.redisStreams</c> (configuration path <see cref="HostJsonSection"/>, where the
/// Functions host puts it);</item>
/// <item>app settings <c>RedisStreams__{Option}</c> (<see cref="AppSettingsSection"/>);</item>
/// <item>the values set on the trigger's attribute (<see cref="StreamTriggerDeclaration.OptionValues"/>);</item>
/// <item>per-function app settings <c>RedisStreams__Functions__{Function}__{Option}</c>.</item>
/// </list>
/// <c>%Setting%</c> references in the key, the group and option values are resolved from app settings. Every problem
/// is reported at once, each naming the function and what to set. Thread-safe.
/// </summary>
public sealed partial class StreamOptionsResolver
{
    /// <summary>Where the Functions host (and the local host) put host.json's <c>extensions.redisStreams</c>.</summary>
    public const string HostJsonSection = SettingNames.HostJsonExtensionsPath + "redisStreams";

    /// <summary>
    /// The app-wide app settings section (<c>RedisStreams__MaxDeliveries</c> as an environment variable).
    /// </summary>
    public const string AppSettingsSection = StreamSubscriberOptions.SectionName;

    /// <summary>Per-function settings live under <c>RedisStreams:Functions:{FunctionName}</c>.</summary>
    public const string FunctionsSubsection = "Functions";

    private readonly IConfiguration _configuration;
    private readonly Func<string, string?> _setting;

    /// <param name="configuration">App settings (and host.json under <see cref="HostJsonSection"/>).</param>
    /// <param name="settingLookup">How a host resolves an app setting named in <c>%Setting%</c> or as the connection;
    /// by default the configuration key (<c>A__B</c> read as <c>A:B</c>).</param>
    public StreamOptionsResolver(IConfiguration configuration, Func<string, string?>? settingLookup = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _configuration = configuration;
        _setting = settingLookup ?? (name => configuration[name.Replace("__", ":", StringComparison.Ordinal)]);
    }

    /// <summary>The options of one trigger, its connection string, and every problem found.</summary>
    /// <param name="declaration">The trigger as declared.</param>
    /// <param name="hostDefaults">The host's own defaults, applied over the engine's before any
    /// configured layer.</param>
    public ResolvedStreamTrigger Resolve(
        StreamTriggerDeclaration declaration, Action<StreamSubscriberOptions>? hostDefaults = null)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        var function = declaration.FunctionName;
        var errors = new List<string>();
        var options = new StreamSubscriberOptions();
        hostDefaults?.Invoke(options);

        var attributeValues = declaration.OptionValues
            .Select(kv => new KeyValuePair<string, string?>(
                kv.Key, ResolveReferences(kv.Value, kv.Key, function, errors)))
            .ToList();
        // App-wide layers first, on their own: a bad app-wide value is the same problem for every function, reported in
        // the same words, so a caller resolving several functions can report it once.
        StreamSubscriberOptionsBinder.Apply(options, _configuration.GetSection(HostJsonSection), errors);
        StreamSubscriberOptionsBinder.Apply(options, _configuration.GetSection(AppSettingsSection), errors);
        var optionErrors = new List<string>();
        StreamSubscriberOptionsBinder.ApplyLayers(
            options,
            [],
            attributeValues,
            "the attribute",
            _configuration.GetSection($"{AppSettingsSection}:{FunctionsSubsection}:{function}"),
            optionErrors);

        options.Stream = ResolveReferences(declaration.Key, "Key", function, errors)?.Trim() ?? "";
        options.Group = ResolveReferences(declaration.ConsumerGroup, "ConsumerGroup", function, errors)?.Trim() ?? "";
        var keyUnresolved = HasReference(declaration.Key) && options.Stream.Length == 0;
        var groupUnresolved = HasReference(declaration.ConsumerGroup) && options.Group.Length == 0;
        if (options.Stream.Length == 0 && !keyUnresolved)
            errors.Add($"Stream key is empty for function '{function}': set the key of its RedisConsumerGroupTrigger " +
                "(e.g. \"orders-placed\", or \"%OrdersStream%\" with that app setting defined).");
        if (options.Group.Length == 0 && !groupUnresolved)
            errors.Add($"Consumer group name is empty for function '{function}': " +
                "set ConsumerGroup on its RedisConsumerGroupTrigger.");
        // An empty stream or group is reported above, in the trigger's own words.
        optionErrors.AddRange(StreamSubscriberOptionsValidator.Check(options)
            .Where(e => !e.StartsWith($"{nameof(StreamSubscriberOptions.Stream)} is empty", StringComparison.Ordinal)
                     && !e.StartsWith($"{nameof(StreamSubscriberOptions.Group)} is empty", StringComparison.Ordinal)));
        errors.AddRange(optionErrors.Select(e =>
            $"The RedisConsumerGroupTrigger of function '{function}' has an invalid option: {e}"));

        string? connectionString = null;
        if (string.IsNullOrWhiteSpace(declaration.Connection))
        {
            errors.Add($"The RedisConsumerGroupTrigger of function '{function}' names no connection setting: " +
                "set its connection to the name of an app setting, e.g. \"RedisConnection\".");
        }
        else
        {
            connectionString = _setting(declaration.Connection);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                errors.Add($"App setting '{declaration.Connection}' for function '{function}' is missing or empty: " +
                    "set it to a StackExchange.Redis connection string (e.g. \"localhost:6379\").");
                connectionString = null;
            }
        }
        return new ResolvedStreamTrigger(declaration, options, connectionString, errors);
    }

    /// <summary>The value with every <c>%Name%</c> replaced by that app setting; a reference to a setting that is not
    /// set adds an error and yields null.</summary>
    private string? ResolveReferences(string? value, string property, string function, List<string> errors)
    {
        if (value is null || !HasReference(value))
            return value;
        var missing = new List<string>();
        var resolved = Reference().Replace(value, match =>
        {
            var name = match.Groups[1].Value;
            var setting = _setting(name);
            if (!string.IsNullOrEmpty(setting))
                return setting;
            missing.Add(name);
            return "";
        });
        foreach (var name in missing)
            errors.Add($"{property} '{value}' of the RedisConsumerGroupTrigger of function '{function}' " +
                $"refers to app setting '{name}', which is not set: " +
                "define it (local.settings.json Values locally, an app setting in Azure).");
        return missing.Count == 0 ? resolved : null;
    }

    private static bool HasReference(string? value) => value is not null && Reference().IsMatch(value);

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Reference();
}

/// <summary>What <see cref="StreamOptionsResolver"/> made of one trigger.</summary>
/// <param name="Declaration">The trigger as declared.</param>
/// <param name="Options">The options it runs with (complete even when there are errors: defaults stand in).</param>
/// <param name="ConnectionString">The Redis connection string its setting holds;
/// null when the setting is not set.</param>
/// <param name="Errors">Every problem, each a sentence naming the function and what to do;
/// empty when it can run.</param>
public sealed record ResolvedStreamTrigger(
    StreamTriggerDeclaration Declaration,
    StreamSubscriberOptions Options,
    string? ConnectionString,
    IReadOnlyList<string> Errors)
{
    /// <summary>True when the trigger can run: no problem found.</summary>
    public bool IsValid => Errors.Count == 0;
}
