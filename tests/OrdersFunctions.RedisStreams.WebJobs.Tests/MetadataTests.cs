using Microsoft.Azure.WebJobs.Host;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using OrdersFunctions.RedisStreams.WebJobs.Tests.Hosting;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>
/// What the worker attribute becomes in a built app's functions.metadata, and whether the host-side attribute can be
/// built from that binding JSON the way the Functions host does it (<see cref="IJobHostMetadataProvider"/>): a name
/// that differs between the two attributes fails here instead of disabling functions in Azure.
/// </summary>
public sealed class MetadataTests : IAsyncLifetime
{
    private TriggerHost? _host;

    public async Task InitializeAsync() =>
        // No functions: the metadata provider only needs the extension registered, and no Redis is touched.
        _host = await TriggerHost.StartAsync(new Dictionary<string, string?>());

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }

    [Fact]
    public void FunctionsMetadata_CarriesTheTriggerTypeConnectionKeyGroupAndEveryOption()
    {
        var binding = TriggerBinding("OrdersAsPoco");

        Assert.Equal("redisConsumerGroupTrigger", binding["type"]!.Value<string>());
        Assert.Equal("RedisConnection", binding["connection"]!.Value<string>());
        Assert.Equal("%OrdersStream%", binding["key"]!.Value<string>());
        Assert.Equal("%NotificationsGroup%", binding["consumerGroup"]!.Value<string>());
        Assert.Equal(10, binding["batchSize"]!.Value<int>());
        Assert.Equal(4, binding["maxConcurrency"]!.Value<int>());
        Assert.Equal(3, binding["maxDeliveries"]!.Value<int>());
        Assert.Equal("00:00:05", binding["claimMinIdle"]!.Value<string>());
        Assert.Equal("00:00:00.200", binding["retryBackoffInitial"]!.Value<string>());
        Assert.Equal("orders:dlq", binding["deadLetterStream"]!.Value<string>());
        Assert.Equal("NewEntriesOnly", binding["startPosition"]!.Value<string>());
    }

    [Theory]
    [InlineData("OrdersAsString", "String")]
    [InlineData("OrdersAsBytes", "Binary")]
    [InlineData("OrdersAsPoco", null)]
    [InlineData("OrdersAsMessage", null)]
    public void FunctionsMetadata_DataType_FollowsTheParameterType(string function, string? dataType)
    {
        Assert.Equal(dataType, TriggerBinding(function)["dataType"]?.Value<string>());
    }

    [Theory]
    [InlineData("OrdersInBatches", null)]
    [InlineData("TextsInBatches", "String")]
    [InlineData("MessagesInBatches", null)]
    public void FunctionsMetadata_IsBatched_BecomesCardinalityMany_WithTheElementsDataType(
        string function, string? dataType)
    {
        var binding = TriggerBinding(function);

        Assert.Equal("Many", binding["cardinality"]?.Value<string>(), ignoreCase: true);
        Assert.Equal(dataType, binding["dataType"]?.Value<string>());
        Assert.Null(binding["isBatched"]); // the worker turns it into cardinality; the host never sees it
    }

    [Fact]
    public void FunctionsMetadata_OfASingleEntryFunction_HasNoCardinalityMany()
    {
        Assert.NotEqual(
            "Many", TriggerBinding("OrdersAsPoco")["cardinality"]?.Value<string>(), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void HostSideAttribute_BuiltFromABatchedFunctionsJson_CarriesTheBatchOptions()
    {
        var attribute = (RedisConsumerGroupTriggerAttribute)MetadataProvider()
            .GetAttribute(typeof(RedisConsumerGroupTriggerAttribute), TriggerBinding("OrdersInBatches"));

        Assert.Equal(50, attribute.MaxBatchSize);
        Assert.Equal("00:00:00.010", attribute.MaxBatchWait);
    }

    [Fact]
    public void BindingType_ResolvesToTheHostSideAttribute()
    {
        var provider = MetadataProvider();

        Assert.Equal(
            typeof(RedisConsumerGroupTriggerAttribute),
            provider.GetAttributeTypeFromName(TriggerBinding("OrdersAsPoco")["type"]!.Value<string>()));
    }

    [Fact]
    public void HostSideAttribute_BuiltFromTheBindingJson_CarriesEveryValue()
    {
        var provider = MetadataProvider();

        var attribute = Assert.IsType<RedisConsumerGroupTriggerAttribute>(
            provider.GetAttribute(typeof(RedisConsumerGroupTriggerAttribute), TriggerBinding("OrdersAsPoco")));

        Assert.Equal("RedisConnection", attribute.Connection);
        Assert.Equal("%OrdersStream%", attribute.Key);
        Assert.Equal("%NotificationsGroup%", attribute.ConsumerGroup);
        Assert.Equal(10, attribute.BatchSize);
        Assert.Equal(4, attribute.MaxConcurrency);
        Assert.Equal(3, attribute.MaxDeliveries);
        Assert.Equal("00:00:05", attribute.ClaimMinIdle);
        Assert.Equal("00:00:00.200", attribute.RetryBackoffInitial);
        Assert.Equal("orders:dlq", attribute.DeadLetterStream);
        Assert.Equal("NewEntriesOnly", attribute.StartPosition);
    }

    [Theory]
    [InlineData("OrdersAsString")]
    [InlineData("OrdersAsBytes")]
    [InlineData("OrdersAsMessage")]
    public void HostSideAttribute_BuiltFromTheBindingJson_OfEachFunction_HasItsGroup(string function)
    {
        var binding = TriggerBinding(function);

        var attribute = (RedisConsumerGroupTriggerAttribute)MetadataProvider()
            .GetAttribute(typeof(RedisConsumerGroupTriggerAttribute), binding);

        Assert.Equal(binding["consumerGroup"]!.Value<string>(), attribute.ConsumerGroup);
        Assert.Equal(binding["key"]!.Value<string>(), attribute.Key);
    }

    private IJobHostMetadataProvider MetadataProvider() =>
        _host!.Services.GetRequiredService<IJobHostMetadataProvider>();

    private static JObject TriggerBinding(string function)
    {
        var metadata = JArray.Parse(File.ReadAllText(
            BuildOutputs.RequireFile(Path.Combine(BuildOutputs.TestApp, "functions.metadata"))));
        var entry = metadata.Children<JObject>().SingleOrDefault(f => f["name"]?.Value<string>() == function)
            ?? throw new InvalidOperationException($"functions.metadata has no function '{function}'");
        return entry["bindings"]!.Children<JObject>()
            .Single(b => b["type"]?.Value<string>() == "redisConsumerGroupTrigger");
    }
}
