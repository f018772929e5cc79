using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using OrdersFunctions.RedisStreams.Testing;

namespace OrdersFunctions.App.Tests;

/// <summary>
/// A program as a user (or a Functions host) runs it, in a child process with its output captured, so that exit codes,
/// console lines and signals are the real ones: the local host (<see cref="LocalHostProcess"/>), the Functions worker
/// (<see cref="WorkerProcess"/>). Killed with its children on dispose if still running.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildProcess(Process process)
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

    public int Id => _process.Id;

    /// <summary>Starts <paramref name="fileName"/>; <paramref name="environment"/> sets (or, with null, removes)
    /// variables of the test's own environment.</summary>
    public static ChildProcess Start(string fileName, string workingDirectory, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                startInfo.Environment.Remove(name);
            else
                startInfo.Environment[name] = value;
        }
        return new ChildProcess(Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {fileName}."));
    }

    /// <summary>Sends SIGTERM, as Ctrl+C or a service manager would.</summary>
    public void Terminate() => Signal(_process.Id, SigTerm);

    /// <summary>Sends SIGKILL, as an out-of-memory kill or <c>kill -9</c> would: no handler runs.</summary>
    public void KillHard() => Signal(_process.Id, SigKill);

    /// <summary>Sends <paramref name="signal"/> to any process (e.g. a grandchild this test knows the id of).</summary>
    public static void Signal(int processId, int signal)
    {
        if (Kill(processId, signal) != 0)
            throw new InvalidOperationException(
                $"kill({processId}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
    }

    /// <summary>Whether a process with that id runs: it exists and is not a zombie waiting to be reaped (an orphan's
    /// new parent may be slow to reap it, or never do).</summary>
    public static bool IsRunning(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var state = stat[(stat.LastIndexOf(')') + 1)..].TrimStart()[0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
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
            throw new TimeoutException(
                $"The process did not exit within {timeout.TotalSeconds:0} s. Output:\n{Output}");
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

    /// <summary>A project's build output under the repository, in this test's configuration.</summary>
    internal static string BuiltOutput(string project, string file)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/{Configuration}/net10.0/
        var path = Path.Combine(RepositoryRoot.Find(), project, "bin", configuration, "net10.0", file);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} does not exist: build {project} first.");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
