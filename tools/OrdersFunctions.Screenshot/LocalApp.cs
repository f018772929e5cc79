using System.Diagnostics;

namespace OrdersFunctions.Screenshot;

/// <summary>The orders app under the local host, started the way ./run.sh starts it (the built app DLL, a settings
/// file, a port on 127.0.0.1); killed on dispose.</summary>
internal sealed class LocalApp : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private LocalApp(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    public static async Task<LocalApp> StartAsync(string root, string configuration, string settingsFile, int port)
    {
        var localHost = Path.Combine(root, "src/OrdersFunctions.LocalHost/bin", configuration,
            "net10.0/OrdersFunctions.LocalHost.dll");
        var app = Path.Combine(root, "functions/OrdersFunctions.App/bin", configuration,
            "net10.0/OrdersFunctions.App.dll");
        foreach (var built in new[] { localHost, app })
        {
            if (!File.Exists(built))
                throw new InvalidOperationException(
                    $"{built} is missing: run dotnet run --project tools/OrdersFunctions.Screenshot, which builds it.");
        }
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { localHost, "--app", app, "--port", $"{port}", "--settings", settingsFile })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = new List<string>();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Collect(string? line)
        {
            if (line is null)
                return;
            lock (output) output.Add(line);
            if (line.StartsWith("Functions app running", StringComparison.Ordinal))
                running.TrySetResult();
        }
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var localApp = new LocalApp(process, port);
        var finished = await Task.WhenAny(running.Task, process.WaitForExitAsync(), Task.Delay(StartTimeout));
        if (finished != running.Task)
        {
            await localApp.DisposeAsync();
            lock (output)
            {
                throw new InvalidOperationException(
                    $"The local host did not say \"Functions app running\" within {StartTimeout.TotalSeconds} s:\n" +
                    string.Join('\n', output));
            }
        }
        return localApp;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
