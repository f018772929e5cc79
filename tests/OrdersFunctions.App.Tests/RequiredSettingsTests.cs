using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OrdersFunctions.App.Functions;
using OrdersFunctions.LocalHost;

namespace OrdersFunctions.App.Tests;

/// <summary>The settings table's "required" rows are true: with a required setting unset the app does not start (so no
/// order is accepted that no stream function would consume), and every missing setting is named on its own line, as
/// the user writes it. No Redis: the host fails before it connects.</summary>
public sealed class RequiredSettingsTests
{
    private static readonly string[] GroupAndStreamSettings =
        ["NotificationsGroup", "OrdersStream", "SpreadsheetsGroup"];

    [Fact]
    public void Build_WithOnlyRedisConnection_FailsWithOneLinePerMissingSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => Build(new() { ["RedisConnection"] = "127.0.0.1:1" }));

        var lines = error.Message.Split(Environment.NewLine);
        Assert.Equal(GroupAndStreamSettings.Length, lines.Length);
        for (var i = 0; i < lines.Length; i++)
            Assert.StartsWith($"App setting '{GroupAndStreamSettings[i]}' is not set", lines[i]);
    }

    [Fact]
    public void Build_WithoutRedisConnection_NamesRedisConnection()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new()
        {
            ["OrdersStream"] = "s", ["NotificationsGroup"] = "n", ["SpreadsheetsGroup"] = "p",
        }));

        Assert.Equal(
            $"App setting 'RedisConnection' is not set (needed by {nameof(AppendOrderToSpreadsheet)}, "
            + $"{nameof(SendOrderNotification)}): add it to local.settings.json Values or the environment.",
            error.Message);
    }

    [Fact]
    public async Task Start_HttpOnlyWithOnlyRedisConnection_RefusesToStart_NamingEachMissingSetting()
    {
        // The stream functions disabled, as the Functions host disables them when %OrdersStream% does not resolve:
        // PlaceOrder must not go on accepting orders.
        await using var host = Build(new()
        {
            ["RedisConnection"] = "127.0.0.1:1,abortConnect=false",
            [$"AzureWebJobs.{nameof(SendOrderNotification)}.Disabled"] = "true",
            [$"AzureWebJobs.{nameof(AppendOrderToSpreadsheet)}.Disabled"] = "true",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(GroupAndStreamSettings.Order(),
            error.Failures.Select(f => f.Split('\'')[1]).Order());
    }

    [Fact]
    public void Problems_AllSet_IsEmpty()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RedisConnection"] = "r", ["OrdersStream"] = "s",
            ["NotificationsGroup"] = "n", ["SpreadsheetsGroup"] = "p",
        }).Build();

        Assert.Empty(RequiredSettings.Problems(configuration));
    }

    private static Microsoft.AspNetCore.Builder.WebApplication Build(Dictionary<string, string?> settings) =>
        LocalFunctionsHost.Build(new LocalHostOptions
        {
            AppAssembly = typeof(PlaceOrder).Assembly,
            Port = 0,
            SettingsFile = WriteSettings(settings),
            HostJsonFile = null,
            UseEnvironmentVariables = false,
        });

    private static string WriteSettings(Dictionary<string, string?> values)
    {
        var folder = Directory.CreateTempSubdirectory("required-settings-").FullName;
        var path = Path.Combine(folder, "local.settings.json");
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new { Values = values }));
        return path;
    }
}
