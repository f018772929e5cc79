using OrdersFunctions.App.Hosting;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using Xunit.Abstractions;

namespace OrdersFunctions.App.Tests;

/// <summary>
/// The app's isolated worker as a Functions host runs it (the host itself is not available here: a fake one serves
/// the worker's gRPC stream, docs/functions-host.md): a start-up refusal is one line per problem and exit code 1 with
/// no stack trace, and a worker whose host was killed does not run on as an orphan.
/// </summary>
public sealed class WorkerProcessTests(ITestOutputHelper output)
{
    // A child .NET process pays for its own start (JIT, loading ASP.NET) which, on a loaded machine, can take long.
    private static readonly TimeSpan WorkerStarts = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task RequiredSettingsUnset_OneLineEach_ExitCode1_NoStackTrace()
    {
        using var nothingThere = new RefusingPort();
        await using var worker = WorkerProcess.Start(
            new Dictionary<string, string> { ["RedisConnection"] = $"127.0.0.1:{nothingThere.Port}" },
            HostArguments(nothingThere.Port));

        var exitCode = await worker.WaitForExitAsync(WorkerStarts);

        Assert.Equal(WorkerProgram.RefusedExitCode, exitCode);
        Assert.Equal(
        [
            """App setting 'OrdersStream' is not set: add "OrdersStream": "orders-placed" """
            + "to local.settings.json Values (Function App: its app settings).",
            """App setting 'NotificationsGroup' is not set: add "NotificationsGroup": "notifications" """
            + "to local.settings.json Values (Function App: its app settings).",
            """App setting 'SpreadsheetsGroup' is not set: add "SpreadsheetsGroup": "spreadsheets" """
            + "to local.settings.json Values (Function App: its app settings).",
        ], worker.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task SettingThatDoesNotParse_IsOneLine_ExitCode1()
    {
        using var nothingThere = new RefusingPort();
        var settings = Settings(nothingThere.Port);
        settings["Notifications__Smtp__Port"] = "abc";
        await using var worker = WorkerProcess.Start(settings, HostArguments(nothingThere.Port));

        var exitCode = await worker.WaitForExitAsync(WorkerStarts);

        Assert.Equal(WorkerProgram.RefusedExitCode, exitCode);
        var line = Assert.Single(
            worker.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("'Notifications:Smtp:Port'", line);
    }

    [Fact]
    public async Task FunctionsHostKilled_TheWorkerExits()
    {
        await using var host = await FakeFunctionsHost.StartAsync();
        using var nothingThere = new RefusingPort();
        await using var parent = WorkerProcess.StartUnderParent(Settings(nothingThere.Port), host.WorkerArguments());
        await Eventually.WithinAsync(host.StreamOpened, "the worker opening its gRPC stream to the host", WorkerStarts);
        var worker = WorkerProcess.WorkerId(parent)
            ?? throw new InvalidOperationException($"No worker pid in: {parent.Output}");
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            parent.KillHard();

            await Eventually.HoldsAsync(() => !ChildProcess.IsRunning(worker),
                $"the orphaned worker (pid {worker}) to exit", () => parent.Output, TimeSpan.FromSeconds(30));
            output.WriteLine($"The worker exited {clock.Elapsed.TotalSeconds:0.0} s after its parent was killed.");
        }
        finally
        {
            if (ChildProcess.IsRunning(worker))
                ChildProcess.Signal(worker, 9);
        }
    }

    private static Dictionary<string, string> Settings(int redisPort) => new()
    {
        ["RedisConnection"] = $"127.0.0.1:{redisPort}",
        ["OrdersStream"] = TestNames.Stream(),
        ["NotificationsGroup"] = TestNames.Group("notifications"),
        ["SpreadsheetsGroup"] = TestNames.Group("spreadsheets"),
    };

    /// <summary>The host's worker arguments pointing at a port where no host listens: enough for a worker that refuses
    /// to start, which it does before it connects.</summary>
    private static string[] HostArguments(int port) =>
    [
        "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--workerId", "w", "--requestId", "r", "--functions-uri", $"http://127.0.0.1:{port}/",
        "--functions-worker-id", "w", "--functions-request-id", "r",
    ];
}
