using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Worker;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// A stream-triggered function's <see cref="StreamSubscriberOptions"/>, resolved in the order the host-side trigger
/// extension uses, later layers winning: the engine's defaults; host.json <c>extensions:redisStreams</c> (configuration
/// path <c>AzureFunctionsJobHost:extensions:redisStreams</c>, see <see cref="HostJson"/>); the app-wide settings
/// <c>RedisStreams:*</c>; the values set on the attribute (0/empty = unset); the per-function settings
/// <c>RedisStreams:Functions:{Name}:*</c>. Parsing and layering are the engine's
/// (<see cref="StreamSubscriberOptionsBinder"/>), shared with the Functions host's extension.
/// <c>%Setting%</c> resolves in Key, ConsumerGroup and string options. Every problem is reported at once.
/// </summary>
public static class StreamTriggerOptionsResolver
{
    /// <summary>Per-function overrides live under <c>RedisStreams:Functions:{FunctionName}</c>.</summary>
    public const string FunctionsSubsection = "Functions";

    /// <exception cref="InvalidOperationException">A setting is missing or unparsable, or an option is out of range;
    /// the message names the function and each problem.</exception>
    public static StreamSubscriberOptions Resolve(string functionName, RedisStreamTriggerAttribute attribute, IConfiguration configuration, string consumer)
    {
        var errors = new List<string>();
        var options = new StreamSubscriberOptions { Consumer = consumer };
        var attributeValues = StreamSubscriberOptionsBinder.ExplicitValuesOf(attribute)
            .Select(kv => new KeyValuePair<string, string?>(kv.Key,
                Try(() => SettingReferences.Resolve(kv.Value, configuration, $"{kv.Key} of function '{functionName}'"), errors)))
            .ToList();
        StreamSubscriberOptionsBinder.ApplyLayers(
            options,
            [configuration.GetSection(HostJson.RedisStreamsSection), configuration.GetSection(StreamSubscriberOptions.SectionName)],
            attributeValues,
            $"the RedisStreamTrigger of function '{functionName}'",
            configuration.GetSection($"{StreamSubscriberOptions.SectionName}:{FunctionsSubsection}:{functionName}"),
            errors);

        options.Stream = Try(() => SettingReferences.Resolve(attribute.Key, configuration, $"Key of function '{functionName}'"), errors) ?? "";
        options.Group = Try(() => SettingReferences.Resolve(attribute.ConsumerGroup, configuration, $"ConsumerGroup of function '{functionName}'"), errors) ?? "";
        if (string.IsNullOrWhiteSpace(options.Group) && errors.Count == 0)
            errors.Add($"Consumer group name is empty for function '{functionName}': set ConsumerGroup on its RedisStreamTrigger.");
        errors.AddRange(StreamSubscriberOptionsValidator.Check(options).Select(e => $"Function '{functionName}': {e}"));
        if (errors.Count > 0)
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        return options;
    }

    private static string? Try(Func<string?> resolve, List<string> errors)
    {
        try
        {
            return resolve();
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(ex.Message);
            return null;
        }
    }
}
