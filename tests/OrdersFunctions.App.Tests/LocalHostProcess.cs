using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace OrdersFunctions.App.Tests;

/// <summary>
/// The local host as a user runs it: <c>dotnet OrdersFunctions.LocalHost.dll --app OrdersFunctions.App.dll ...</c> in a
/// child process (both built next to this repository's projects), with its output captured, so that exit codes, console
/// lines and signals are the real ones.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LocalHostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Everything it printed so far (stdout and stderr, in arrival order).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    public static LocalHostProcess Start(string workingDirectory, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(BuiltOutput("src/OrdersFunctions.LocalHost", "OrdersFunctions.LocalHost.dll"));
        startInfo.ArgumentList.Add("--app");
        startInfo.ArgumentList.Add(BuiltOutput("functions/OrdersFunctions.App", "OrdersFunctions.App.dll"));
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        // No settings from the developer's environment leak in (e.g. a RedisConnection variable).
        startInfo.Environment.Remove("RedisConnection");
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        return new LocalHostProcess(Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start dotnet."));
    }

    /// <summary>Sends SIGTERM, as Ctrl+C or a service manager would.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}.");
    }

    /// <summary>Waits for the exit (failing after <paramref name="timeout"/>) and returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The local host did not exit within {timeout.TotalSeconds:0} s. Output:\n{Output}");
        }
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    /// <summary>A project's build output under the repository (found from this test's bin folder), in this test's
    /// configuration.</summary>
    private static string BuiltOutput(string project, string file)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OrdersFunctions.sln")))
            directory = directory.Parent;
        if (directory is null)
            throw new InvalidOperationException($"OrdersFunctions.sln not found above {AppContext.BaseDirectory}.");
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/{Configuration}/net10.0/
        var path = Path.Combine(directory.FullName, project, "bin", configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} does not exist: build {project} first.");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
