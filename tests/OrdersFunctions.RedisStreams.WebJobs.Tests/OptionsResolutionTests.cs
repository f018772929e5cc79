using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host.Triggers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.WebJobs.Tests.Hosting;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>Engine defaults &lt; host.json extensions:redisStreams &lt; RedisStreams:* app settings &lt; attribute &lt;
/// RedisStreams:Functions:{FunctionName}:* app settings.</summary>
public sealed class OptionsResolutionTests : IAsyncDisposable
{
    private readonly RedisConnectionFactoryCache _connections = new();

    [Fact]
    public async Task NothingConfigured_GivesTheEngineDefaults_AndTheSettingsStreamAndGroup()
    {
        var options = await OptionsAsync(new());

        Assert.Equal(StreamSubscriberOptions.DefaultMaxConcurrency, options.MaxConcurrency);
        Assert.Equal(StreamSubscriberOptions.DefaultClaimMinIdle, options.ClaimMinIdle);
        Assert.Equal(("s1", "g1"), (options.Stream, options.Group));
    }

    [Fact]
    public async Task NothingConfigured_DrainsForOneAndAHalfSeconds_WithinTheFunctionsHostsShutdownBudget()
    {
        var options = await OptionsAsync(new());

        Assert.Equal(TimeSpan.FromSeconds(1.5), options.ShutdownTimeout);
    }

    [Fact]
    public async Task AppSettings_OverrideHostJson()
    {
        var options = await OptionsAsync(new()
        {
            ["AzureFunctionsJobHost:extensions:redisStreams:ClaimInterval"] = "00:00:07",
            ["AzureFunctionsJobHost:extensions:redisStreams:ShutdownTimeout"] = "00:00:03",
            ["RedisStreams:ShutdownTimeout"] = "00:00:04",
        });

        Assert.Equal(TimeSpan.FromSeconds(7), options.ClaimInterval);
        Assert.Equal(TimeSpan.FromSeconds(4), options.ShutdownTimeout);
    }

    [Fact]
    public async Task AttributeValues_OverrideAppWideSettings()
    {
        // PocoFunction's attribute sets MaxDeliveries = 2 and RetryBackoffInitial = 50 ms.
        var options = await OptionsAsync(new()
        {
            ["RedisStreams:MaxDeliveries"] = "9",
            ["RedisStreams:RetryBackoffInitial"] = "00:00:02",
        });

        Assert.Equal(2, options.MaxDeliveries);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.RetryBackoffInitial);
    }

    [Fact]
    public async Task PerFunctionSettings_OverrideTheAttribute()
    {
        var options = await OptionsAsync(new()
        {
            ["RedisStreams:Functions:ConsumeOrder:MaxDeliveries"] = "7",
            ["RedisStreams:Functions:ConsumeOrder:Consumer"] = "fixed-name",
            ["RedisStreams:Functions:SomeOtherFunction:MaxDeliveries"] = "8",
        });

        Assert.Equal(7, options.MaxDeliveries);
        Assert.Equal("fixed-name", options.Consumer);
    }

    [Fact]
    public async Task UnparsableSettings_AreAllReported_NamingTheFunctionAndEachKey()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OptionsAsync(new()
        {
            ["RedisStreams:MaxConcurrency"] = "many",
            ["RedisStreams:Functions:ConsumeOrder:ClaimMinIdle"] = "later",
        }));

        Assert.Contains("function 'ConsumeOrder'", error.Message);
        Assert.Contains("setting 'RedisStreams__MaxConcurrency' is 'many'", error.Message);
        Assert.Contains("setting 'RedisStreams__Functions__ConsumeOrder__ClaimMinIdle' is 'later'", error.Message);
    }

    [Fact]
    public async Task TheOpsSurface_JudgesConsumers_ByTheOptionsTheJobHostsTriggerRunsWith()
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:extensions:redisStreams:ClaimMinIdle"] = "00:00:20",
            ["RedisStreams:Functions:ConsumeOrder:ClaimMinIdle"] = "00:00:03",
            ["RedisStreams:Functions:ConsumeOrder:ConsumerIdleTimeout"] = "00:00:10",
        };
        var jobHost = await OptionsAsync(settings);
        // The worker side of the same function, as the app's operator surface reads it from the app's code.
        var worker = new Worker.RedisConsumerGroupTriggerAttribute("RedisConnection", "%Stream%")
        {
            ConsumerGroup = "%Group%", MaxDeliveries = 2, RetryBackoffInitial = "00:00:00.050",
        };
        var declaration = StreamTriggerDeclaration.FromAttribute(
            "ConsumeOrder", worker.Connection, worker.Key, worker.ConsumerGroup, worker);

        var topology = OpsTopology.Resolve(
            [declaration], new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

        Assert.Equal(ConsumerLiveness.Of(jobHost), topology.OverviewRequest("s1").LivenessOf("g1"));
        Assert.Equal(TimeSpan.FromSeconds(3), topology.OverviewRequest("s1").LivenessOf("g1").ClaimMinIdle);
    }

    public ValueTask DisposeAsync() => _connections.DisposeAsync();

    private async Task<StreamSubscriberOptions> OptionsAsync(Dictionary<string, string?> settings)
    {
        settings["RedisConnection"] = "127.0.0.1:1"; // never connected to
        settings["Stream"] = "s1";
        settings["Group"] = "g1";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var provider = new RedisConsumerGroupTriggerBindingProvider(
            configuration, new DefaultNameResolver(configuration), _connections, NullLoggerFactory.Instance);
        var parameter = typeof(PocoFunction).GetMethod(nameof(PocoFunction.ConsumeOrder))!.GetParameters()[0];
        var binding = (RedisConsumerGroupTriggerBinding)(await provider.TryCreateAsync(
            new TriggerBindingProviderContext(parameter, CancellationToken.None)))!;
        return binding.Options;
    }
}
