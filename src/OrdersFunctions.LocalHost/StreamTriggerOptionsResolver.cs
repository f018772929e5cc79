using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using OrdersFunctions.RedisStreams;
using OrdersFunctions.RedisStreams.Worker;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// A stream-triggered function's <see cref="StreamSubscriberOptions"/>, resolved in the order the host-side trigger
/// extension uses, later layers winning: the engine's defaults; the app-wide settings <c>RedisStreams:*</c>; the
/// values set on the attribute (0/empty = unset); the per-function settings <c>RedisStreams:Functions:{Name}:*</c>.
/// <c>%Setting%</c> resolves in Key, ConsumerGroup and string options. Every problem is reported at once.
/// </summary>
public static class StreamTriggerOptionsResolver
{
    /// <exception cref="InvalidOperationException">A setting is missing or unparsable, or an option is out of range;
    /// the message names the function and each problem.</exception>
    public static StreamSubscriberOptions Resolve(string functionName, RedisStreamTriggerAttribute attribute, IConfiguration configuration, string consumer)
    {
        var errors = new List<string>();
        var options = new StreamSubscriberOptions { Consumer = consumer };
        Apply(options, configuration.GetSection(StreamSubscriberOptions.SectionName), errors);
        ApplyAttribute(options, attribute, configuration, functionName, errors);
        Apply(options, configuration.GetSection($"{StreamSubscriberOptions.SectionName}:Functions:{functionName}"), errors);

        options.Stream = Try(() => SettingReferences.Resolve(attribute.Key, configuration, $"Key of function '{functionName}'"), errors) ?? "";
        options.Group = Try(() => SettingReferences.Resolve(attribute.ConsumerGroup, configuration, $"ConsumerGroup of function '{functionName}'"), errors) ?? "";
        if (string.IsNullOrWhiteSpace(options.Group) && errors.Count == 0)
            errors.Add($"Consumer group name is empty for function '{functionName}': set ConsumerGroup on its RedisStreamTrigger.");
        errors.AddRange(StreamSubscriberOptionsValidator.Check(options).Select(e => $"Function '{functionName}': {e}"));
        if (errors.Count > 0)
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        return options;
    }

    // By property name, so options added to the attribute later (e.g. RetryBackoffInitial) apply without a change here.
    private static void ApplyAttribute(StreamSubscriberOptions options, RedisStreamTriggerAttribute attribute, IConfiguration configuration, string functionName, List<string> errors)
    {
        foreach (var property in attribute.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.Name is nameof(RedisStreamTriggerAttribute.Connection) or nameof(RedisStreamTriggerAttribute.Key)
                or nameof(RedisStreamTriggerAttribute.ConsumerGroup) || !property.CanRead)
                continue;
            var value = property.GetValue(attribute);
            var text = value switch
            {
                int i when i != 0 => i.ToString(CultureInfo.InvariantCulture),
                string s when s.Length > 0 => Try(() => SettingReferences.Resolve(s, configuration, $"{property.Name} of function '{functionName}'"), errors),
                _ => null,
            };
            if (text is not null)
                Set(options, property.Name, text, $"{property.Name} on the RedisStreamTrigger of function '{functionName}'", errors);
        }
    }

    private static void Apply(StreamSubscriberOptions options, IConfigurationSection section, List<string> errors)
    {
        foreach (var child in section.GetChildren())
        {
            if (child.Value is null || child.Value.Trim().Length == 0)
                continue; // a subsection (Functions) or an empty setting, which means "not set"
            Set(options, child.Key, child.Value.Trim(), $"setting '{child.Path}'", errors);
        }
    }

    private static void Set(StreamSubscriberOptions options, string name, string value, string where, List<string> errors)
    {
        switch (name.ToLowerInvariant())
        {
            case "batchsize": SetInt(value, where, v => options.BatchSize = v, errors); break;
            case "maxconcurrency": SetInt(value, where, v => options.MaxConcurrency = v, errors); break;
            case "maxdeliveries": SetInt(value, where, v => options.MaxDeliveries = v, errors); break;
            case "blocktimeout": SetTime(value, where, v => options.BlockTimeout = v, errors); break;
            case "claimminidle": SetTime(value, where, v => options.ClaimMinIdle = v, errors); break;
            case "claiminterval": SetTime(value, where, v => options.ClaimInterval = v, errors); break;
            case "retrybackoffinitial": SetTime(value, where, v => options.RetryBackoffInitial = v, errors); break;
            case "retrybackoffmax": SetTime(value, where, v => options.RetryBackoffMax = v, errors); break;
            case "shutdowntimeout": SetTime(value, where, v => options.ShutdownTimeout = v, errors); break;
            case "consumeridletimeout": SetTime(value, where, v => options.ConsumerIdleTimeout = v, errors); break;
            case "deadletterstream": options.DeadLetterStream = value; break;
            case "consumer": options.Consumer = value; break;
            case "startposition":
                var position = Enum.GetNames<StreamStartPosition>().FirstOrDefault(n => n.Equals(value, StringComparison.OrdinalIgnoreCase));
                if (position is null)
                    errors.Add($"{where} is '{value}': it must be one of {string.Join(", ", Enum.GetNames<StreamStartPosition>())}.");
                else
                    options.StartPosition = Enum.Parse<StreamStartPosition>(position);
                break;
            // Other names in the section belong to someone else (e.g. the publisher's trimming): ignored.
        }
    }

    private static void SetInt(string value, string where, Action<int> set, List<string> errors)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) set(parsed);
        else errors.Add($"{where} is '{value}': it must be a whole number.");
    }

    private static void SetTime(string value, string where, Action<TimeSpan> set, List<string> errors)
    {
        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var parsed)) set(parsed);
        else errors.Add($"{where} is '{value}': it must be a time span such as '00:00:30' (hh:mm:ss[.fff]).");
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
