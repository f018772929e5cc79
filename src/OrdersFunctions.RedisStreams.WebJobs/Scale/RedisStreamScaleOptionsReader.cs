using OrdersFunctions.RedisStreams.Configuration;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// Reads <see cref="RedisStreamScaleOptions"/> from the same sections, in the same order, as the trigger's engine
/// options (<see cref="StreamOptionsResolver"/>): host.json <c>extensions:redisStreams</c>, app settings
/// <c>RedisStreams:*</c>, per function <c>RedisStreams:Functions:{Name}:*</c>; later ones win. Names are
/// case-insensitive. Every value that cannot be parsed, or is out of range, is reported, naming its key.
/// </summary>
internal static class RedisStreamScaleOptionsReader
{
    public static RedisStreamScaleOptions Read(IConfiguration configuration, string functionName, List<string> errors)
    {
        var options = new RedisStreamScaleOptions();
        const string appSettings = StreamOptionsResolver.AppSettingsSection;
        IConfigurationSection[] layers =
        [
            configuration.GetSection(StreamOptionsResolver.HostJsonSection),
            configuration.GetSection(appSettings),
            configuration.GetSection(
                $"{appSettings}:{StreamOptionsResolver.FunctionsSubsection}:{functionName}"),
        ];
        foreach (var layer in layers)
            Apply(layer, options, errors);
        return options;
    }

    private static void Apply(IConfigurationSection section, RedisStreamScaleOptions options, List<string> errors)
    {
        foreach (var child in section.GetChildren())
        {
            if (child.Value is null)
                continue;
            switch (child.Key.ToUpperInvariant())
            {
                case "TARGETUNPROCESSEDENTRYTHRESHOLD":
                    options.TargetUnprocessedEntryThreshold =
                        Positive(child, errors) ?? options.TargetUnprocessedEntryThreshold;
                    break;
                case "MAXTARGETWORKERCOUNT":
                    options.MaxTargetWorkerCount = Positive(child, errors) ?? options.MaxTargetWorkerCount;
                    break;
                case "TARGETDRAINTIME":
                    options.TargetDrainTime = AtLeastASecond(child, errors) ?? options.TargetDrainTime;
                    break;
                case "THROUGHPUTWINDOW":
                    options.ThroughputWindow = AtLeastASecond(child, errors) ?? options.ThroughputWindow;
                    break;
            }
        }
    }

    private static int? Positive(IConfigurationSection setting, List<string> errors)
    {
        if (int.TryParse(setting.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            && value >= 1)
            return value;
        errors.Add($"{setting.Path} is '{setting.Value}': it must be a whole number of at least 1.");
        return null;
    }

    private static TimeSpan? AtLeastASecond(IConfigurationSection setting, List<string> errors)
    {
        if (TimeSpan.TryParse(setting.Value, CultureInfo.InvariantCulture, out var value)
            && value >= TimeSpan.FromSeconds(1))
            return value;
        errors.Add($"{setting.Path} is '{setting.Value}': it must be a time span of at least 1 s, e.g. \"00:00:30\".");
        return null;
    }
}
