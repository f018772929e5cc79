using OrdersFunctions.Infra.Tests.Support;

namespace OrdersFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class RedisTransportTests(InfraFixture infra)
{
    [Fact]
    public void Redis_AcceptsOnlyTls12()
    {
        var problems = TemplateInspector.RedisTransportProblems(infra.Template);

        Assert.True(problems.Count == 0, "Redis must be reachable only over TLS 1.2+:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Redis_DoesNotEvictStreamEntries()
    {
        // The stream is the order queue: an eviction policy would silently drop orders under memory pressure.
        var database = Assert.Single(
            TemplateInspector.FindResources(infra.Template, TemplateInspector.ManagedRedisDatabaseType));

        Assert.True(database["properties"]?["evictionPolicy"]?.ToString() == "NoEviction",
            "The Redis database must use evictionPolicy 'NoEviction', " +
            $"it uses {database["properties"]?["evictionPolicy"]}.");
    }
}
