using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using OrdersFunctions.App.Functions;
using OrdersFunctions.LocalHost;
using OrdersFunctions.RedisStreams.Testing;
using StackExchange.Redis;

namespace OrdersFunctions.App.Tests;

/// <summary>
/// One test's world: its own stream, groups, CSV file and outbox, short engine timings, and any number of local hosts
/// (each one instance of the app) started on free loopback ports against the shared Redis.
/// </summary>
public sealed class AppScenario : IAsyncDisposable
{
    private readonly List<WebApplication> _hosts = [];
    private readonly ConnectionMultiplexer _redis;
    private readonly string _settingsFile;

    public AppScenario(string redisConnection, [System.Runtime.CompilerServices.CallerMemberName] string testName = "")
    {
        RedisConnection = redisConnection;
        Stream = TestNames.Stream(testName);
        Folder = Directory.CreateTempSubdirectory("orders-app-test-").FullName;
        _settingsFile = Path.Combine(Folder, "local.settings.json");
        Settings = new Dictionary<string, string?>
        {
            ["RedisConnection"] = redisConnection,
            ["OrdersStream"] = Stream,
            ["NotificationsGroup"] = TestNames.Group("notifications", testName),
            ["SpreadsheetsGroup"] = TestNames.Group("spreadsheets", testName),
            ["Spreadsheet__CsvPath"] = CsvPath,
            ["Notifications__OutboxPath"] = OutboxPath,
            // Short engine timings so retries, claims and dead-lettering happen within a test.
            ["RedisStreams__BlockTimeout"] = "00:00:00.200",
            ["RedisStreams__ClaimMinIdle"] = "00:00:01",
            ["RedisStreams__ClaimInterval"] = "00:00:00.100",
            ["RedisStreams__RetryBackoffInitial"] = "00:00:00.050",
            ["RedisStreams__RetryBackoffMax"] = "00:00:00.200",
            ["RedisStreams__MaxDeliveries"] = "3",
            ["RedisStreams__ShutdownTimeout"] = "00:00:05",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        _redis = ConnectionMultiplexer.Connect(redisConnection);
    }

    public string RedisConnection { get; }
    public string Stream { get; }
    public string Folder { get; }
    public string CsvPath => Path.Combine(Folder, "orders.csv");
    public string OutboxPath => Path.Combine(Folder, "outbox");
    public string NotificationsGroup => Settings["NotificationsGroup"]!;
    public string SpreadsheetsGroup => Settings["SpreadsheetsGroup"]!;

    /// <summary>App settings (local.settings.json Values) for hosts started after a change.</summary>
    public Dictionary<string, string?> Settings { get; }

    public IDatabase Redis => _redis.GetDatabase();

    /// <summary>Starts a local host (settings written to a local.settings.json, as a developer would have
    /// them).</summary>
    public async Task<HttpClient> StartHostAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var values = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            values[key] = value;
        await File.WriteAllTextAsync(_settingsFile, JsonSerializer.Serialize(new { Values = values }));
        var host = LocalFunctionsHost.Build(new LocalHostOptions
        {
            AppAssembly = typeof(PlaceOrder).Assembly,
            Port = 0,
            SettingsFile = _settingsFile,
            UseEnvironmentVariables = false,
        });
        await host.StartAsync();
        _hosts.Add(host);
        return new HttpClient { BaseAddress = new Uri(host.Urls.Single()) };
    }

    /// <summary>Starts a host that serves HTTP only: the stream functions disabled as in Azure
    /// (<c>AzureWebJobs.{Name}.Disabled</c>).</summary>
    public Task<HttpClient> StartHttpOnlyHostAsync() => StartHostAsync(new Dictionary<string, string?>
    {
        [$"AzureWebJobs.{nameof(SendOrderNotification)}.Disabled"] = "true",
        [$"AzureWebJobs.{nameof(AppendOrderToSpreadsheet)}.Disabled"] = "true",
    });

    public static object ValidOrder(int n = 1) => new
    {
        customerEmail = $"customer{n}@example.com",
        customerName = $"Customer {n}",
        items = new[]
        {
            new { sku = "BOOK-1", quantity = 2, unitPrice = 12.5m },
            new { sku = "PEN-2", quantity = n % 5 + 1, unitPrice = 1.99m },
        },
    };

    public static async Task<string> PostOrderAsync(HttpClient client, int n = 1)
    {
        using var response = await client.PostAsJsonAsync("/api/orders", ValidOrder(n));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted,
            $"POST /api/orders answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("orderId").GetString()!;
    }

    public Task<long> StreamLengthAsync() => Redis.StreamLengthAsync(Stream);

    /// <summary>The order ids in the CSV (data rows only).</summary>
    public List<string> CsvOrderIds()
    {
        if (!File.Exists(CsvPath))
            return [];
        using var reader = new StreamReader(
            new FileStream(CsvPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd()
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .Select(l => l.Split(',')[0])
            .ToList();
    }

    public List<string> OutboxOrderIds() =>
        Directory.Exists(OutboxPath)
            ? Directory.GetFiles(OutboxPath, "*.eml").Select(f => Path.GetFileNameWithoutExtension(f)).ToList()
            : [];

    /// <summary>True when both groups exist and have read and acknowledged everything (lag 0, nothing
    /// pending).</summary>
    public async Task<bool> GroupsDrainedAsync()
    {
        if (!await Redis.KeyExistsAsync(Stream))
            return false;
        var groups = await Redis.StreamGroupInfoAsync(Stream);
        return new[] { NotificationsGroup, SpreadsheetsGroup }.All(name =>
            groups.FirstOrDefault(g => g.Name == name) is { PendingMessageCount: 0, Lag: 0 });
    }

    public async Task WaitForHandledAsync(int orders)
    {
        await Eventually.HoldsAsync(
            async () => CsvOrderIds().Count >= orders && OutboxOrderIds().Count >= orders && await GroupsDrainedAsync(),
            $"{orders} CSV rows, {orders} .eml files and both groups drained",
            () => Task.FromResult($"{CsvOrderIds().Count} rows, {OutboxOrderIds().Count} files"),
            TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
        await Redis.KeyDeleteAsync([Stream, Stream + ":dead-letter"]);
        await _redis.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { /* a reader still had it open */ }
    }
}
