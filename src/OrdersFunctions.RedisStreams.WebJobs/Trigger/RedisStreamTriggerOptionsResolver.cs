using Microsoft.Extensions.Configuration;
using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// Computes one function's <see cref="StreamSubscriberOptions"/> from four layers, later ones winning:
/// <list type="number">
/// <item>the engine's defaults;</item>
/// <item>the app-wide sections: host.json <c>extensions:redisStreams</c> (configuration path
/// <c>AzureFunctionsJobHost:extensions:redisStreams</c>), then app settings <c>RedisStreams:*</c>
/// (environment variables <c>RedisStreams__MaxDeliveries</c>);</item>
/// <item>the values set on the function's <see cref="RedisStreamTriggerAttribute"/>;</item>
/// <item>per-function app settings <c>RedisStreams:Functions:{FunctionName}:{Option}</c>.</item>
/// </list>
/// Parsing and layering are the engine's (<see cref="StreamSubscriberOptionsBinder"/>), shared with the local host;
/// this class only names the sections. Values that cannot be parsed are reported all at once, each naming its key.
/// </summary>
internal sealed class RedisStreamTriggerOptionsResolver
{
    /// <summary>The host.json section as the Functions host exposes it in configuration.</summary>
    public const string HostJsonSection = "AzureFunctionsJobHost:extensions:redisStreams";

    /// <summary>The app-settings section (<c>RedisStreams__Option</c> as environment variables).</summary>
    public const string AppSettingsSection = StreamSubscriberOptions.SectionName;

    /// <summary>Per-function overrides live under <c>RedisStreams:Functions:{FunctionName}</c>.</summary>
    public const string FunctionsSubsection = "Functions";

    /// <summary>
    /// The trigger's default drain time on shutdown, shorter than the engine's: the Functions host stops listeners
    /// about 70 ms after SIGTERM and exits about 2 s after it, so in-flight invocations get 1.5 s and the
    /// acknowledgements of those that finished are still sent before the process goes. Configurable like every option.
    /// </summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(1.5);

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
            ShutdownTimeout = DefaultShutdownTimeout,
        };
        StreamSubscriberOptionsBinder.ApplyLayers(
            options,
            [_configuration.GetSection(HostJsonSection), _configuration.GetSection(AppSettingsSection)],
            StreamSubscriberOptionsBinder.ExplicitValuesOf(attribute),
            "the attribute",
            _configuration.GetSection($"{AppSettingsSection}:{FunctionsSubsection}:{functionName}"),
            errors);
        return options;
    }
}
