using Microsoft.Extensions.Configuration;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>Scale settings come from the trigger's sections: host.json extensions:redisStreams &lt; RedisStreams:* app
/// settings &lt; RedisStreams:Functions:{Name}:*; bad values fail the function's indexing, naming the key.</summary>
public sealed class ScaleOptionsTests : IAsyncDisposable
{
    private readonly RedisConnectionFactoryCache _connections = new();

    [Fact]
    public void NothingSet_DrainRateRuleWithItsDefaults()
    {
        var options = Options(new());

        Assert.Null(options.TargetUnprocessedEntryThreshold);
        Assert.Null(options.MaxTargetWorkerCount);
        Assert.Equal(TimeSpan.FromSeconds(30), options.TargetDrainTime);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ThroughputWindow);
    }

    [Fact]
    public void HostJson_SetsEveryScaleOption_NamesIgnoringCase()
    {
        var options = Options(new()
        {
            ["AzureFunctionsJobHost:extensions:redisStreams:targetUnprocessedEntryThreshold"] = "2400",
            ["AzureFunctionsJobHost:extensions:redisStreams:targetDrainTime"] = "00:01:00",
            ["AzureFunctionsJobHost:extensions:redisStreams:throughputWindow"] = "00:00:20",
            ["AzureFunctionsJobHost:extensions:redisStreams:maxTargetWorkerCount"] = "10",
        });

        Assert.Equal((2400, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(20), 10),
            (options.TargetUnprocessedEntryThreshold, options.TargetDrainTime, options.ThroughputWindow,
                options.MaxTargetWorkerCount));
    }

    [Fact]
    public void PerFunctionSetting_OverridesAppSettings_WhichOverrideHostJson()
    {
        var options = Options(new()
        {
            ["AzureFunctionsJobHost:extensions:redisStreams:maxTargetWorkerCount"] = "10",
            ["AzureFunctionsJobHost:extensions:redisStreams:targetDrainTime"] = "00:01:00",
            ["RedisStreams:TargetDrainTime"] = "00:00:45",
            ["RedisStreams:Functions:F:MaxTargetWorkerCount"] = "4",
        });

        Assert.Equal((4, TimeSpan.FromSeconds(45)), (options.MaxTargetWorkerCount, options.TargetDrainTime));
    }

    [Fact]
    public void InvalidValues_FailWithEveryKeyNamed()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Options(new()
        {
            ["AzureFunctionsJobHost:extensions:redisStreams:targetUnprocessedEntryThreshold"] = "0",
            ["RedisStreams:TargetDrainTime"] = "soon",
        }));

        Assert.Contains("extensions:redisStreams:targetUnprocessedEntryThreshold is '0'", error.Message);
        Assert.Contains("RedisStreams:TargetDrainTime is 'soon'", error.Message);
        Assert.Contains("function 'F'", error.Message);
    }

    private RedisStreamScaleOptions Options(Dictionary<string, string?> settings)
    {
        settings["RedisConnection"] = "127.0.0.1:1"; // never connected to
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new RedisStreamScalerFactory(configuration, _connections)
            .Create("F", new RedisConsumerGroupTriggerAttribute("RedisConnection", "s1") { ConsumerGroup = "g1" })
            .ScaleOptions;
    }

    public ValueTask DisposeAsync() => _connections.DisposeAsync();
}
