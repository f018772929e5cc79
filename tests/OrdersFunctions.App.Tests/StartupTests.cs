using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using Xunit.Abstractions;

namespace OrdersFunctions.App.Tests;

/// <summary>The first minute of the app: the HTTP port opens whatever Redis does, orders flow once Redis answers, a
/// stop during the wait is clean, and a port that is taken is said in one line before anything starts.</summary>
[Collection(RedisCollection.Name)]
public sealed class StartupTests(RedisServerFixture redis, ITestOutputHelper output)
{
    // The requirement is 5 s; generous bounds here keep a loaded machine from failing the test, while a start that
    // waits out Redis's connect timeouts (75 s each before) still fails it.
    private static readonly TimeSpan PortOpens = TimeSpan.FromSeconds(10);
    // A child process also pays for its own runtime start (JIT, loading ASP.NET), which on a loaded machine alone can
    // take longer than that; these tests are about exit codes and output, not the port's timing.
    private static readonly TimeSpan ChildProcessPortOpens = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RedisDownAtStart_PlaceOrderAnswers503WithRetryAfter_ThenOrdersFlowOnceRedisIsUp()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        await using var server = await RedisServerProcess.StartAsync();
        await server.StopAsync(kill: true);
        scenario.Settings["RedisConnection"] = server.EndPoint;

        using var client = await Eventually.WithinAsync(
            scenario.StartHostAsync(), "the local host's start with Redis down", PortOpens);
        var started = DateTime.UtcNow;
        using (var refused = await client.PostAsJsonAsync("/api/orders", AppScenario.ValidOrder()))
        {
            output.WriteLine($"503 after {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        await server.RestartAsync(kill: true);
        string? orderId = null;
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await client.PostAsJsonAsync("/api/orders", AppScenario.ValidOrder());
            if (response.StatusCode != HttpStatusCode.Accepted)
                return false;
            orderId = JsonDocument.Parse(await response.Content.ReadAsStringAsync())
                .RootElement.GetProperty("orderId").GetString();
            return true;
        }, "POST /api/orders accepted once Redis is up", timeout: TimeSpan.FromSeconds(60));
        await Eventually.HoldsAsync(
            () => scenario.CsvOrderIds().Contains(orderId!) && scenario.OutboxOrderIds().Contains(orderId!),
            $"order {orderId} in the CSV and the outbox",
            () => $"{scenario.CsvOrderIds().Count} rows, {scenario.OutboxOrderIds().Count} files",
            TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task SigtermWhileRedisIsDown_ExitsCleanly()
    {
        var folder = Directory.CreateTempSubdirectory("orders-startup-test-").FullName;
        using var nothingThere = new RefusingPort();
        var settings = WriteSettings(folder, $"127.0.0.1:{nothingThere.Port}");
        var port = FreeTcpPort.Next();
        await using var host = LocalHostProcess.Start(folder, "--port", port.ToString(), "--settings", settings);

        await Eventually.HoldsAsync(() => Answers(port) || host.HasExited,
            $"the HTTP port {port} open", () => host.Output, ChildProcessPortOpens);
        host.Terminate();
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{host.Output}");
        Assert.DoesNotContain("Unhandled exception", host.Output);
        Assert.DoesNotContain("consuming stream", host.Output);
    }

    [Fact]
    public async Task PortInUse_IsOneLineWithTheFix_ExitCode1_AndNoConsumerRegistered()
    {
        var folder = Directory.CreateTempSubdirectory("orders-startup-test-").FullName;
        var stream = TestNames.Stream();
        var settings = WriteSettings(folder, redis.ConnectionString, stream);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var host = LocalHostProcess.Start(folder, "--port", port.ToString(), "--settings", settings);

        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Equal($"Port {port} is in use: stop what uses it or run ./run.sh --port {port + 1}", host.Output.Trim());
        var database = (await redis.GetConnectionAsync()).GetDatabase();
        Assert.False(await database.KeyExistsAsync(stream), "no group (so no stream) should have been created");
    }

    [Fact]
    public async Task LocalHttpPortOfLocalSettings_IsThePortWhenNoPortArgumentIsGiven()
    {
        var folder = Directory.CreateTempSubdirectory("orders-startup-test-").FullName;
        var port = FreeTcpPort.Next();
        var settings = WriteSettings(folder, redis.ConnectionString, TestNames.Stream(), port);
        await using var host = LocalHostProcess.Start(folder, "--settings", settings);

        await Eventually.HoldsAsync(() => Answers(port) || host.HasExited,
            $"the HTTP port {port} (Host.LocalHttpPort) open", () => host.Output, ChildProcessPortOpens);

        Assert.False(host.HasExited, host.Output);
    }

    private static bool Answers(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string WriteSettings(
        string folder,
        string redisConnection,
        string? stream = null,
        int? localHttpPort = null,
        [System.Runtime.CompilerServices.CallerMemberName] string testName = "")
    {
        var path = Path.Combine(folder, "local.settings.json");
        var values = new Dictionary<string, string>
        {
            ["RedisConnection"] = redisConnection,
            ["OrdersStream"] = stream ?? TestNames.Stream(testName),
            ["NotificationsGroup"] = TestNames.Group("notifications", testName),
            ["SpreadsheetsGroup"] = TestNames.Group("spreadsheets", testName),
            ["Spreadsheet__CsvPath"] = Path.Combine(folder, "orders.csv"),
            ["Notifications__OutboxPath"] = Path.Combine(folder, "outbox"),
        };
        object document = localHttpPort is { } p
            ? new { Values = values, Host = new { LocalHttpPort = p } }
            : new { Values = values };
        File.WriteAllText(path, JsonSerializer.Serialize(document));
        return path;
    }
}
