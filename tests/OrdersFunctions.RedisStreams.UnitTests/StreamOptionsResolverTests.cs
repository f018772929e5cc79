using Microsoft.Extensions.Configuration;
using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.RedisStreams.UnitTests;

public sealed class StreamOptionsResolverTests
{
    private static ResolvedStreamTrigger Resolve(
        Dictionary<string, string?> settings, params (string Name, string Value)[] attribute)
    {
        settings.TryAdd("RedisConnection", "localhost:6379");
        settings.TryAdd("OrdersStream", "orders-placed");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var declaration = new StreamTriggerDeclaration(
            "SendOrderNotification", "RedisConnection", "%OrdersStream%", "notifications",
            attribute.Select(a => new KeyValuePair<string, string?>(a.Name, a.Value)).ToList());
        return new StreamOptionsResolver(configuration)
            .Resolve(declaration, o => o.ShutdownTimeout = TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public void Layers_HostDefaultsThenHostJsonThenAppSettingsThenAttributeThenPerFunction()
    {
        var resolved = Resolve(new()
        {
            ["AzureFunctionsJobHost:extensions:redisStreams:MaxDeliveries"] = "2",
            ["AzureFunctionsJobHost:extensions:redisStreams:ClaimMinIdle"] = "00:00:05",
            ["AzureFunctionsJobHost:extensions:redisStreams:BatchSize"] = "10",
            ["RedisStreams:ClaimMinIdle"] = "00:00:06",
            ["RedisStreams:MaxConcurrency"] = "3",
            ["RedisStreams:Functions:SendOrderNotification:MaxConcurrency"] = "4",
        }, ("BatchSize", "20"), ("MaxConcurrency", "9"));

        Assert.True(resolved.IsValid, string.Join(" ", resolved.Errors));
        Assert.Equal(TimeSpan.FromSeconds(1.5), resolved.Options.ShutdownTimeout); // the host's default
        Assert.Equal(2, resolved.Options.MaxDeliveries); // host.json
        Assert.Equal(TimeSpan.FromSeconds(6), resolved.Options.ClaimMinIdle); // app settings over host.json
        Assert.Equal(20, resolved.Options.BatchSize); // the attribute over host.json
        Assert.Equal(4, resolved.Options.MaxConcurrency); // per-function over the attribute
    }

    [Fact]
    public void SettingReferences_ResolveFromAppSettings_AsDoesTheConnection()
    {
        var resolved = Resolve(new());

        Assert.Equal(("orders-placed", "notifications"), (resolved.Options.Stream, resolved.Options.Group));
        Assert.Equal("localhost:6379", resolved.ConnectionString);
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnce_AFunctionsOwnNamingTheFunction()
    {
        var resolved = Resolve(new()
        {
            ["OrdersStream"] = "",
            ["RedisConnection"] = "",
            ["RedisStreams:MaxConcurrency"] = "many",
        }, ("MaxDeliveries", "0"));

        Assert.False(resolved.IsValid);
        Assert.Equal(4, resolved.Errors.Count);
        // An app-wide value is the same problem for every function, in the same words (callers report it once).
        Assert.Equal(3, resolved.Errors.Count(e =>
            e.Contains("function 'SendOrderNotification'", StringComparison.Ordinal)));
        Assert.Contains(resolved.Errors, e =>
            e.Contains("refers to app setting 'OrdersStream', which is not set", StringComparison.Ordinal));
        Assert.Contains(resolved.Errors, e =>
            e.Contains("setting 'RedisStreams__MaxConcurrency' is 'many'", StringComparison.Ordinal));
        Assert.Contains(resolved.Errors, e => e.Contains("MaxDeliveries is 0", StringComparison.Ordinal));
        Assert.Contains(resolved.Errors, e => e.Contains("App setting 'RedisConnection'", StringComparison.Ordinal));
    }
}
