using System.Text.Json;
using OrdersFunctions.App.Functions;
using OrdersFunctions.LocalHost;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Worker;

namespace OrdersFunctions.App.Tests;

/// <summary>The local host reads host.json's <c>extensions</c> (engine options, HTTP route prefix) as the Functions
/// host does, below app settings. No Redis: the host is built, never started.</summary>
public sealed class LocalHostSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("local-host-settings-").FullName;

    [Fact]
    public void ReadExtensionSettings_PutsTheSectionsWhereTheFunctionsHostDoes()
    {
        var path = Write("host.json", """
            { "version": "2.0", "extensions": { "redisStreams": { "maxDeliveries": 7, "claimMinIdle": "00:00:09" },
              "http": { "routePrefix": "x" } } }
            """);

        var settings = HostJson.ReadExtensionSettings(path);

        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["AzureFunctionsJobHost:extensions:redisStreams:maxDeliveries"] = "7",
                ["AzureFunctionsJobHost:extensions:redisStreams:claimMinIdle"] = "00:00:09",
                [HostJson.HttpRoutePrefixKey] = "x",
            },
            settings);
    }

    [Fact]
    public void ReadExtensionSettings_RedisStreamsNotAnObject_SaysWhatItMustBe()
    {
        var path = Write("host.json", """{ "extensions": { "redisStreams": 5 } }""");

        var error = Assert.Throws<InvalidDataException>(() => HostJson.ReadExtensionSettings(path));

        Assert.Contains("'extensions.redisStreams' must be an object", error.Message);
    }

    [Fact]
    public void ReadExtensionSettings_NoSection_GivesNothing()
    {
        var path = Write("host.json", """{ "version": "2.0" }""");

        Assert.Empty(HostJson.ReadExtensionSettings(path));
    }

    [Fact]
    public void ReadExtensionSettings_InvalidJson_NamesTheFile()
    {
        var path = Write("host.json", "{ not json");

        var error = Assert.Throws<InvalidDataException>(() => HostJson.ReadExtensionSettings(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task Build_HostJsonOptions_ReachTheStreamFunctions()
    {
        var options = await ResolveAsync(
            hostJsonOptions: """{ "maxDeliveries": 7, "claimInterval": "00:00:03" }""", appSettings: new());

        Assert.Equal(7, options.MaxDeliveries);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ClaimInterval);
    }

    [Fact]
    public async Task Build_AppSettings_OverrideHostJson()
    {
        var options = await ResolveAsync(hostJsonOptions: """{ "maxDeliveries": 7 }""",
            appSettings: new() { ["RedisStreams__MaxDeliveries"] = "4" });

        Assert.Equal(4, options.MaxDeliveries);
    }

    [Fact]
    public async Task Build_PerFunctionSettings_OverrideAppSettings()
    {
        var options = await ResolveAsync(hostJsonOptions: "{}", appSettings: new()
        {
            ["RedisStreams__MaxDeliveries"] = "4",
            [$"RedisStreams__Functions__{nameof(AppendOrderToSpreadsheet)}__MaxDeliveries"] = "2",
        });

        Assert.Equal(2, options.MaxDeliveries);
    }

    [Fact]
    public async Task Start_StreamNameThatCannotCarryAHashTag_FailsNamingTheSetting()
    {
        var settings = Write("local.settings.json", """
            { "Values": { "RedisConnection": "127.0.0.1:1,abortConnect=false", "OrdersStream": "a{}b",
              "NotificationsGroup": "n", "SpreadsheetsGroup": "s" } }
            """);
        await using var host = LocalFunctionsHost.Build(new LocalHostOptions
        {
            AppAssembly = typeof(PlaceOrder).Assembly, Port = 0, SettingsFile = settings,
            UseEnvironmentVariables = false,
            HostJsonFile = Write("host.json", "{}"),
            Settings = new Dictionary<string, string?>
            {
                [$"AzureWebJobs.{nameof(SendOrderNotification)}.Disabled"] = "true",
                [$"AzureWebJobs.{nameof(AppendOrderToSpreadsheet)}.Disabled"] = "true",
            },
        });

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => host.StartAsync());

        Assert.Contains("OrdersStream", error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<StreamSubscriberOptions> ResolveAsync(
        string hostJsonOptions, Dictionary<string, string?> appSettings)
    {
        appSettings["RedisConnection"] = "127.0.0.1:1"; // never connected to: the host is not started
        appSettings["OrdersStream"] = "stream-of-" + nameof(LocalHostSettingsTests);
        appSettings["SpreadsheetsGroup"] = "group-of-" + nameof(LocalHostSettingsTests);
        appSettings["NotificationsGroup"] = "other-group-of-" + nameof(LocalHostSettingsTests);
        var settingsFile = Write("local.settings.json", JsonSerializer.Serialize(new { Values = appSettings }));
        var hostJson = Write("host.json",
            $$"""{ "version": "2.0", "extensions": { "redisStreams": {{hostJsonOptions}} } }""");
        await using var host = LocalFunctionsHost.Build(new LocalHostOptions
        {
            AppAssembly = typeof(PlaceOrder).Assembly,
            Port = 0,
            SettingsFile = settingsFile,
            HostJsonFile = hostJson,
            UseEnvironmentVariables = false,
        });
        var attribute = typeof(AppendOrderToSpreadsheet).GetMethods()
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttributes(typeof(RedisConsumerGroupTriggerAttribute), false)
                .OfType<RedisConsumerGroupTriggerAttribute>()
                .SingleOrDefault())
            .Single(a => a is not null)!;
        var resolved = StreamTriggers.Resolver(host.Configuration).Resolve(
            StreamTriggerDeclaration.FromAttribute(
                nameof(AppendOrderToSpreadsheet), attribute.Connection, attribute.Key, attribute.ConsumerGroup,
                attribute),
            o => o.Consumer = "consumer-1");
        return resolved.IsValid
            ? resolved.Options
            : throw new InvalidOperationException(string.Join(Environment.NewLine, resolved.Errors));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
