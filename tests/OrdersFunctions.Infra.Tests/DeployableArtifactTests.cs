using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Retention;
using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Telemetry;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;

using System.Text.Json.Nodes;
using OrdersFunctions.Infra.Tests.Support;

namespace OrdersFunctions.Infra.Tests;

/// <summary>The publish output of the Functions app carries everything the Functions host in Azure needs.</summary>
public sealed class DeployableArtifactTests(PublishedAppFixture app) : IClassFixture<PublishedAppFixture>
{
    private const string ExtensionAssembly = "OrdersFunctions.RedisStreams.WebJobs";
    private const string ExtensionStartup = "OrdersFunctions.RedisStreams.WebJobs.RedisStreamsWebJobsStartup";

    [Fact]
    public void ExtensionsJson_RegistersTheRedisStreamsTriggerStartup()
    {
        var extensions = ReadJson("extensions.json")["extensions"]!.AsArray();

        var ours = extensions.SingleOrDefault(e =>
            ((string?)e!["typeName"])?.StartsWith(ExtensionStartup + ",", StringComparison.Ordinal) == true);
        Assert.True(ours is not null,
            $"extensions.json does not register {ExtensionStartup}: {extensions.ToJsonString()}");
        Assert.Equal($"./.azurefunctions/{ExtensionAssembly}.dll", (string?)ours!["hintPath"]);
    }

    [Theory]
    [InlineData(ExtensionAssembly + ".dll")]
    [InlineData("OrdersFunctions.RedisStreams.dll")]
    [InlineData("StackExchange.Redis.dll")]
    public void AzureFunctionsFolder_HoldsTheTriggerExtensionAndItsDependencies(string assembly)
    {
        Assert.True(File.Exists(app.PathOf(Path.Combine(".azurefunctions", assembly))),
            $".azurefunctions/{assembly} is missing from the publish output {app.OutputDirectory}: " +
            "the host could not load the trigger.");
    }

    [Theory]
    [InlineData("PlaceOrder", "httpTrigger")]
    [InlineData("GetOrderStatus", "httpTrigger")]
    [InlineData("SendOrderNotification", "redisConsumerGroupTrigger")]
    [InlineData("AppendOrderToSpreadsheet", "redisConsumerGroupTrigger")]
    public void FunctionsMetadata_DeclaresTheFunctionWithItsTrigger(string function, string triggerType)
    {
        var trigger = TriggerOf(function);

        Assert.Equal(triggerType, (string?)trigger["type"]);
    }

    [Theory]
    [InlineData("SendOrderNotification", "%NotificationsGroup%")]
    [InlineData("AppendOrderToSpreadsheet", "%SpreadsheetsGroup%")]
    public void StreamFunctions_ReadTheOrdersStreamInTheirOwnGroup(string function, string group)
    {
        var trigger = TriggerOf(function);

        Assert.Equal("RedisConnection", (string?)trigger["connection"]);
        Assert.Equal("%OrdersStream%", (string?)trigger["key"]);
        Assert.Equal(group, (string?)trigger["consumerGroup"]);
    }

    [Fact]
    public void HostJson_IsTheRepositoryHostJson()
    {
        var published = ReadJson("host.json");

        Assert.Equal("2.0", (string?)published["version"]);
        Assert.Equal(
            File.ReadAllText(Path.Combine(RepositoryLayout.RootDirectory, "host.json")),
            File.ReadAllText(app.PathOf("host.json")));
    }

    [Fact]
    public void LocalSettings_AreNotPublished()
    {
        Assert.False(File.Exists(app.PathOf("local.settings.json")),
            "local.settings.json (local secrets) must not be in the publish output.");
    }

    private JsonObject TriggerOf(string function)
    {
        var functions = ReadJson("functions.metadata").AsArray();
        var entry = functions.SingleOrDefault(f => (string?)f!["name"] == function)
            ?? throw new Xunit.Sdk.XunitException(
                $"functions.metadata has no function '{function}'; it has: " +
                $"{string.Join(", ", functions.Select(f => (string?)f!["name"]))}");
        return entry["bindings"]!.AsArray().Select(b => b!.AsObject())
            .Single(b => ((string?)b["type"])?.EndsWith("Trigger", StringComparison.Ordinal) == true);
    }

    private JsonNode ReadJson(string relativePath)
    {
        var path = app.PathOf(relativePath);
        Assert.True(File.Exists(path), $"{relativePath} is missing from the publish output {app.OutputDirectory}.");
        return JsonNode.Parse(File.ReadAllText(path))!;
    }
}
