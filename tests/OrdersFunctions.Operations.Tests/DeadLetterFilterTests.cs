using System.Text;
using Microsoft.Extensions.Configuration;
using OrdersFunctions.App;
using OrdersFunctions.Operations.DeadLetters;
using OrdersFunctions.Operations.Topology;

namespace OrdersFunctions.Operations.Tests;

/// <summary>One reading of the dead-letter filters for the HTTP API and the command line: every bad parameter named,
/// all at once.</summary>
public sealed class DeadLetterFilterTests
{
    private static readonly OpsTopology Topology = OpsTopology.Resolve(
        StreamFunctions.In(typeof(OrdersAppStartup).Assembly),
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RedisConnection"] = "localhost:6379",
            ["OrdersStream"] = "orders-placed",
            ["NotificationsGroup"] = "notifications",
            ["SpreadsheetsGroup"] = "spreadsheets",
        }).Build());

    private static DeadLetterFilter From(params (string Name, string Value)[] values) =>
        DeadLetterFilter.FromValues(name => values.FirstOrDefault(v => v.Name == name).Value, Topology);

    [Fact]
    public void NoParameters_ListTheAppsDeadLetterStream()
    {
        var filter = From();

        Assert.True(filter.IsValid);
        Assert.Equal("orders-placed:dead-letter", filter.Query!.DeadLetterStream);
        Assert.Equal("orders-placed", filter.Query.Stream);
    }

    [Fact]
    public void EveryBadParameter_IsNamed_AllAtOnce()
    {
        var filter = From(("limit", "0"), ("after", "soon"), ("from", "yesterday"), ("group", "billing"));

        Assert.False(filter.IsValid);
        Assert.Equal(["after", "from", "group", "limit"], filter.Errors.Keys.Order());
        Assert.Equal(
            "'billing' is not a group of orders-placed: its groups are spreadsheets, notifications.",
            filter.Errors["group"][0]);
    }

    [Fact]
    public void ToBeforeFrom_IsRefused()
    {
        var filter = From(("from", "2026-12-02T13:00:00Z"), ("to", "2026-12-02T12:00:00Z"));

        Assert.Equal("'to' is before 'from'.", Assert.Single(filter.Errors["to"]));
    }

    [Fact]
    public void ABulkBody_CarriesDryRunAndForce_AndRefusesUnknownFields()
    {
        var ok = DeadLetterFilter.FromJsonBody(
            Encoding.UTF8.GetBytes("""{"group": "notifications", "dryRun": true, "force": true}"""), Topology);
        var bad = DeadLetterFilter.FromJsonBody(Encoding.UTF8.GetBytes("""{"grup": "notifications"}"""), Topology);

        Assert.True(ok.IsValid);
        Assert.True(ok.DryRun && ok.Force);
        Assert.Equal("notifications", ok.Query!.Group);
        Assert.Contains("grup", bad.Errors.Keys);
    }

    [Fact]
    public void AStreamNameWithABraceButNoHashTag_IsRefused()
    {
        var filter = From(("stream", "a}b"));

        Assert.Contains("no hash tag", Assert.Single(filter.Errors["stream"]));
    }
}
