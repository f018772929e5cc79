using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// Computes one function's <see cref="StreamSubscriberOptions"/> from four layers, later ones winning:
/// <list type="number">
/// <item>the engine's defaults;</item>
/// <item>the app-wide section: host.json <c>extensions:redisStreams</c> (configuration path
/// <c>AzureFunctionsJobHost:extensions:redisStreams</c>), then app settings <c>RedisStreams:*</c>
/// (environment variables <c>RedisStreams__MaxDeliveries</c>);</item>
/// <item>the values set on the function's <see cref="RedisStreamTriggerAttribute"/>;</item>
/// <item>per-function app settings <c>RedisStreams:Functions:{FunctionName}:{Option}</c>.</item>
/// </list>
/// Values that cannot be parsed are reported all at once, each naming its configuration key.
/// </summary>
internal sealed class RedisStreamTriggerOptionsResolver
{
    /// <summary>The host.json section as the Functions host exposes it in configuration.</summary>
    public const string HostJsonSection = "AzureFunctionsJobHost:extensions:redisStreams";

    /// <summary>The app-settings section (<c>RedisStreams__Option</c> as environment variables).</summary>
    public const string AppSettingsSection = StreamSubscriberOptions.SectionName;

    /// <summary>Per-function overrides live under <c>RedisStreams:Functions:{FunctionName}</c>.</summary>
    public const string FunctionsSubsection = "Functions";

    private readonly IConfiguration _configuration;

    public RedisStreamTriggerOptionsResolver(IConfiguration configuration) => _configuration = configuration;

    /// <summary>Resolves the options of one function.</summary>
    /// <param name="functionName">The function, for its per-function settings.</param>
    /// <param name="attribute">The attribute with <c>%Setting%</c> references already resolved.</param>
    /// <param name="errors">Receives every value that cannot be parsed.</param>
    public StreamSubscriberOptions Resolve(string functionName, RedisStreamTriggerAttribute attribute, List<string> errors)
    {
        var options = new StreamSubscriberOptions
        {
            Stream = attribute.Key ?? "",
            Group = attribute.ConsumerGroup ?? "",
        };

        Apply(options, _configuration.GetSection(HostJsonSection), errors);
        Apply(options, _configuration.GetSection(AppSettingsSection), errors);
        ApplyAttribute(options, attribute, errors);
        Apply(options, _configuration.GetSection($"{AppSettingsSection}:{FunctionsSubsection}:{functionName}"), errors);
        return options;
    }

    private static void ApplyAttribute(StreamSubscriberOptions options, RedisStreamTriggerAttribute attribute, List<string> errors)
    {
        // 0 and empty mean "not set on the attribute": the configured value stays.
        if (attribute.BatchSize != 0) options.BatchSize = attribute.BatchSize;
        if (attribute.MaxConcurrency != 0) options.MaxConcurrency = attribute.MaxConcurrency;
        if (attribute.MaxDeliveries != 0) options.MaxDeliveries = attribute.MaxDeliveries;
        if (!string.IsNullOrEmpty(attribute.DeadLetterStream)) options.DeadLetterStream = attribute.DeadLetterStream;
        if (!string.IsNullOrEmpty(attribute.ClaimMinIdle))
            SetTimeSpan(attribute.ClaimMinIdle, $"{nameof(RedisStreamTriggerAttribute.ClaimMinIdle)} on the attribute", v => options.ClaimMinIdle = v, errors);
        if (!string.IsNullOrEmpty(attribute.RetryBackoffInitial))
            SetTimeSpan(attribute.RetryBackoffInitial, $"{nameof(RedisStreamTriggerAttribute.RetryBackoffInitial)} on the attribute", v => options.RetryBackoffInitial = v, errors);
        if (!string.IsNullOrEmpty(attribute.StartPosition))
            SetStartPosition(attribute.StartPosition, $"{nameof(RedisStreamTriggerAttribute.StartPosition)} on the attribute", options, errors);
    }

    private static void Apply(StreamSubscriberOptions options, IConfigurationSection section, List<string> errors)
    {
        foreach (var child in section.GetChildren())
        {
            if (child.Value is null)
                continue; // a subsection (e.g. Functions), not an option
            var value = child.Value.Trim();
            if (value.Length == 0)
                continue; // an empty app setting means "not set"
            var where = $"setting '{child.Path}'";
            switch (child.Key.ToLowerInvariant())
            {
                case "batchsize": SetInt(value, where, v => options.BatchSize = v, errors); break;
                case "maxconcurrency": SetInt(value, where, v => options.MaxConcurrency = v, errors); break;
                case "maxdeliveries": SetInt(value, where, v => options.MaxDeliveries = v, errors); break;
                case "blocktimeout": SetTimeSpan(value, where, v => options.BlockTimeout = v, errors); break;
                case "claimminidle": SetTimeSpan(value, where, v => options.ClaimMinIdle = v, errors); break;
                case "claiminterval": SetTimeSpan(value, where, v => options.ClaimInterval = v, errors); break;
                case "retrybackoffinitial": SetTimeSpan(value, where, v => options.RetryBackoffInitial = v, errors); break;
                case "retrybackoffmax": SetTimeSpan(value, where, v => options.RetryBackoffMax = v, errors); break;
                case "shutdowntimeout": SetTimeSpan(value, where, v => options.ShutdownTimeout = v, errors); break;
                case "consumeridletimeout": SetTimeSpan(value, where, v => options.ConsumerIdleTimeout = v, errors); break;
                case "deadletterstream": options.DeadLetterStream = value; break;
                case "consumer": options.Consumer = value; break;
                case "startposition": SetStartPosition(value, where, options, errors); break;
                // Names that are not engine options (e.g. another component's settings in the same section) are ignored.
            }
        }
    }

    private static void SetInt(string value, string where, Action<int> set, List<string> errors)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            set(parsed);
        else
            errors.Add($"{where} is '{value}': it must be a whole number.");
    }

    private static void SetTimeSpan(string value, string where, Action<TimeSpan> set, List<string> errors)
    {
        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var parsed))
            set(parsed);
        else
            errors.Add($"{where} is '{value}': it must be a time span such as '00:00:30' (hh:mm:ss[.fff]).");
    }

    private static void SetStartPosition(string value, string where, StreamSubscriberOptions options, List<string> errors)
    {
        // Only the names: Enum.TryParse would also take "7" and produce an undefined position.
        foreach (var name in Enum.GetNames<StreamStartPosition>())
        {
            if (string.Equals(name, value, StringComparison.OrdinalIgnoreCase))
            {
                options.StartPosition = Enum.Parse<StreamStartPosition>(name);
                return;
            }
        }
        errors.Add($"{where} is '{value}': it must be one of {string.Join(", ", Enum.GetNames<StreamStartPosition>())}.");
    }
}
