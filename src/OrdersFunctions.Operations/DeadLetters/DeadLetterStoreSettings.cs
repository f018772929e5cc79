using System.Globalization;
using Microsoft.Extensions.Configuration;
using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.DeadLetters;

namespace OrdersFunctions.Operations.DeadLetters;

/// <summary>The dead-letter store's options as the app's settings set them, for every face.</summary>
public static class DeadLetterStoreSettings
{
    /// <summary>App setting: replays a message may have had before replay needs force (default 3).</summary>
    public const string ReplayCapSetting = "RedisStreams:DeadLetterReplayCap";

    /// <summary>The options: the replay cap from <see cref="ReplayCapSetting"/>; outcomes of replays and discards kept
    /// as long as the app's dead letters are (its triggers' DeadLetterMaxAge).</summary>
    /// <exception cref="InvalidOperationException">The replay cap setting is not a whole number.</exception>
    public static DeadLetterStoreOptions From(IConfiguration configuration, OpsTopology topology)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(topology);
        var options = new DeadLetterStoreOptions();
        var cap = configuration[ReplayCapSetting];
        if (!string.IsNullOrWhiteSpace(cap))
        {
            options.ReplayCap = int.TryParse(cap, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new InvalidOperationException(
                    $"Setting 'RedisStreams__DeadLetterReplayCap' is '{OpsTexts.Cut(cap)}': " +
                    $"it must be a whole number (default {DeadLetterStoreOptions.DefaultReplayCap}).");
        }
        if (topology.Streams.Count > 0)
            options.OutcomeRetention = topology.Streams.Max(s => s.DeadLetterMaxAge);
        return options;
    }
}
