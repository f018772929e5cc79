using System.Diagnostics;
using OrdersFunctions.App.Functions;
using OrdersFunctions.LocalHost;

namespace OrdersFunctions.App.Tests;

/// <summary>The local host's command line with a settings file holding only <c>RedisConnection</c>: it exits with
/// code 1 and one line per missing setting, no stack trace (docs/app.md, "Required settings have no default"). Runs the
/// real executable; nothing connects to Redis.</summary>
public sealed class LocalHostCommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("local-host-cli-").FullName;

    [Fact]
    public async Task OnlyRedisConnectionSet_ExitsWithOneLinePerMissingSettingAndNoStackTrace()
    {
        var settings = Path.Combine(_folder, "local.settings.json");
        await File.WriteAllTextAsync(settings, """{ "Values": { "RedisConnection": "127.0.0.1:1" } }""");

        var (exitCode, output) = await RunLocalHostAsync(
            "--app", typeof(PlaceOrder).Assembly.Location, "--port", "7399", "--settings", settings);

        Assert.Equal(1, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["NotificationsGroup", "OrdersStream", "SpreadsheetsGroup"],
            lines.Where(l => l.StartsWith("App setting '", StringComparison.Ordinal)).Select(l => l.Split('\'')[1]));
        Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Exception", output);
    }

    [Fact]
    public async Task LocalSettingsNotJson_IsOneLineWithTheFileAndTheLine_ExitCode1()
    {
        var settings = Path.Combine(_folder, "local.settings.json");
        await File.WriteAllTextAsync(settings,
            "{\n  \"Values\": {\n    \"RedisConnection\": \"127.0.0.1:1\"\n    \"OrdersStream\": \"s\"\n  }\n}\n");

        var (exitCode, output) = await RunLocalHostAsync(
            "--app", typeof(PlaceOrder).Assembly.Location, "--port", "7399", "--settings", settings);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"{settings}:4: not valid JSON (", line);
        Assert.EndsWith("local.settings.sample.json shows the expected shape.", line);
    }

    [Fact]
    public async Task InvalidEngineOptions_EveryProblemAtOnce_NoStackTrace_ExitCode1()
    {
        var settings = Path.Combine(_folder, "local.settings.json");
        await File.WriteAllTextAsync(settings, """
            { "Values": { "RedisConnection": "127.0.0.1:1", "OrdersStream": "s", "NotificationsGroup": "n",
              "SpreadsheetsGroup": "p", "RedisStreams__RetryBackoffInitial": "soon",
              "RedisStreams__MaxDeliveries": "many" } }
            """);

        var (exitCode, output) = await RunLocalHostAsync(
            "--app", typeof(PlaceOrder).Assembly.Location, "--port", "7399", "--settings", settings);

        Assert.Equal(1, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length); // both problems, each once though both functions read them
        Assert.Contains(lines,
            l => l.Contains("'RedisStreams__RetryBackoffInitial' is 'soon'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("'RedisStreams__MaxDeliveries' is 'many'", StringComparison.Ordinal));
        Assert.DoesNotContain("Hosting failed to start", output);
        Assert.DoesNotContain("Exception", output);
        Assert.DoesNotContain(" at ", output);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<(int ExitCode, string Output)> RunLocalHostAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder,
        };
        start.ArgumentList.Add(typeof(LocalHostProgram).Assembly.Location);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // Only the settings file: none of the app's settings from the environment of whoever runs the tests.
        foreach (var name in new[] { "RedisConnection", "OrdersStream", "NotificationsGroup", "SpreadsheetsGroup" })
            start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The local host did not exit within 2 minutes with only RedisConnection set.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
