using Microsoft.Extensions.Configuration;
using OrdersFunctions.App;
using OrdersFunctions.Operations.Topology;

namespace OrdersFunctions.Operations.Tests;

/// <summary>The operator surface knows the app's streams and groups from the app's own code, judged by the options
/// each trigger resolves to from the same settings the hosts read.</summary>
public sealed class OpsTopologyTests
{
    private static OpsTopology Topology(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RedisConnection"] = "localhost:6379",
            ["OrdersStream"] = "orders-placed",
            ["NotificationsGroup"] = "notifications",
            ["SpreadsheetsGroup"] = "spreadsheets",
        };
        foreach (var (key, value) in extra)
            settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return OpsTopology.Resolve(StreamFunctions.In(typeof(OrdersAppStartup).Assembly), configuration);
    }

    [Fact]
    public void TheAppsFunctions_GiveOneStreamReadInTwoGroups()
    {
        var topology = Topology();

        var stream = Assert.Single(topology.Streams);
        Assert.Equal("orders-placed", stream.Name);
        Assert.Equal(["spreadsheets", "notifications"], stream.Groups.Select(g => g.Name));
        Assert.Equal(["AppendOrderToSpreadsheet", "SendOrderNotification"], stream.Groups.Select(g => g.Function));
        Assert.Empty(topology.Errors);
    }

    [Fact]
    public void PerFunctionSettings_ReachTheGroupsOptions_AsTheyReachTheTrigger()
    {
        var topology = Topology(
            ("RedisStreams:ClaimMinIdle", "00:00:20"),
            ("RedisStreams:Functions:SendOrderNotification:ClaimMinIdle", "00:00:03"),
            ("AzureFunctionsJobHost:extensions:redisStreams:DeadLetterStream", "{orders}:failed"));

        var groups = topology.Streams[0].Groups.ToDictionary(g => g.Name);
        Assert.Equal(TimeSpan.FromSeconds(3), groups["notifications"].Options.ClaimMinIdle);
        Assert.Equal(TimeSpan.FromSeconds(20), groups["spreadsheets"].Options.ClaimMinIdle);
        Assert.Equal("{orders}:failed", topology.DeadLetterStreamFor("orders-placed"));
    }

    [Fact]
    public void AMissingSetting_IsReported_ForEachFunctionThatNeedsIt()
    {
        var topology = Topology(("OrdersStream", ""));

        Assert.Equal(2, topology.Errors.Count);
        Assert.All(topology.Errors, e => Assert.Contains("refers to app setting 'OrdersStream', which is not set", e));
        Assert.Contains(topology.Errors, e => e.Contains("function 'SendOrderNotification'", StringComparison.Ordinal));
        Assert.Empty(topology.Streams);
    }

    [Fact]
    public void AStreamThatIsNotTheApps_HasTheEnginesDefaultDeadLetterStream()
    {
        Assert.Equal("other:dead-letter", Topology().DeadLetterStreamFor("other"));
    }
}
