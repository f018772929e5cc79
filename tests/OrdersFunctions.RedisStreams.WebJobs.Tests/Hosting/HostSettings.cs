using System.Globalization;
using OrdersFunctions.RedisStreams.Testing.Contract;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests.Hosting;

/// <summary>App settings for a test host: the connection, the %Stream%/%Group% names, and engine options as the
/// per-function settings <c>RedisStreams:Functions:{FunctionName}:{Option}</c> operators would set.</summary>
public static class HostSettings
{
    public static Dictionary<string, string?> For(
        string connectionString, ConsumerSpec spec, string? secondGroup = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RedisConnection"] = connectionString,
            ["Stream"] = spec.Stream,
            ["Group"] = spec.Group,
            ["SecondGroup"] = secondGroup ?? spec.Group + "-second",
        };
        AddOptions(settings, ConsumeFunction.Name, spec);
        AddOptions(settings, ConsumeInSecondGroupFunction.Name, spec);
        return settings;
    }

    private static void AddOptions(Dictionary<string, string?> settings, string functionName, ConsumerSpec spec)
    {
        var prefix = $"RedisStreams:Functions:{functionName}:";
        settings[prefix + "Consumer"] = spec.Consumer;
        settings[prefix + "MaxDeliveries"] = spec.MaxDeliveries.ToString(CultureInfo.InvariantCulture);
        settings[prefix + "ClaimMinIdle"] = spec.ClaimMinIdle.ToString("c");
        settings[prefix + "ClaimInterval"] = spec.ClaimInterval.ToString("c");
        settings[prefix + "RetryBackoffInitial"] = spec.RetryBackoffInitial.ToString("c");
        settings[prefix + "RetryBackoffMax"] = spec.RetryBackoffMax.ToString("c");
        settings[prefix + "ShutdownTimeout"] = spec.ShutdownTimeout.ToString("c");
        settings[prefix + "MaxConcurrency"] = spec.MaxConcurrency.ToString(CultureInfo.InvariantCulture);
        settings[prefix + "BatchSize"] = spec.BatchSize.ToString(CultureInfo.InvariantCulture);
        settings[prefix + "BlockTimeout"] = spec.BlockTimeout.ToString("c");
        if (spec.DeadLetterStream is not null)
            settings[prefix + "DeadLetterStream"] = spec.DeadLetterStream;
    }
}
