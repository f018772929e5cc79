using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OrdersFunctions.Bench.Scale.Instances;

/// <summary>
/// One instance of the app: the local host as a child process (<c>dotnet OrdersFunctions.LocalHost.dll --app … --port
/// … --settings …</c>) with its own consumer identity (<c>WEBSITE_INSTANCE_ID</c>), its output in a log file.
/// </summary>
public sealed class AppInstance : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private readonly Process _process;
    private readonly StreamWriter _log;
    private int _stopping;

    private AppInstance(string name, int port, Process process, StreamWriter log, TimeSpan startedAt)
    {
        Name = name;
        Port = port;
        _process = process;
        _log = log;
        StartedAt = startedAt;
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The consumer name in every group (and <c>WEBSITE_INSTANCE_ID</c>).</summary>
    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>When it was started and when it exited, on the scenario's clock.</summary>
    public TimeSpan StartedAt { get; }

    public TimeSpan? ExitedAt { get; private set; }

    public bool IsReady { get; private set; }

    /// <summary>True once a stop or kill began: the load no longer sends it orders.</summary>
    public bool IsStopping => Volatile.Read(ref _stopping) != 0;

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static AppInstance Start(RepositoryLayout layout, string name, int port, string settingsFile,
        IReadOnlyDictionary<string, string?> environment, string logFile, TimeSpan now)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(settingsFile)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] arguments =
            [layout.LocalHostDll, "--app", layout.AppDll, "--port", portText, "--settings", settingsFile];
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment)
        {
            if (value is null)
                start.Environment.Remove(key);
            else
                start.Environment[key] = value;
        }
        var log = new StreamWriter(logFile, append: false) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        return new AppInstance(name, port, process, log, now);
    }

    /// <summary>Waits until its HTTP port answers (any status), or it exited.</summary>
    public async Task WaitReadyAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (!_process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "api/health"), limit.Token);
                IsReady = true;
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, limit.Token);
            }
        }
        throw new InvalidOperationException(
            $"Instance {Name} exited with code {_process.ExitCode} while starting; see its log.");
    }

    /// <summary>SIGTERM, as the platform does on scale-in, then waits for the app's graceful drain.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout, Func<TimeSpan> clock)
    {
        Interlocked.Exchange(ref _stopping, 1);
        if (!_process.HasExited && Kill(_process.Id, SigTerm) != 0)
            throw new InvalidOperationException(
                $"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}.");
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            ExitedAt = clock();
            return -1;
        }
        _process.WaitForExit();
        ExitedAt = clock();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no drain; whatever it held stays pending for the others to claim.</summary>
    public async Task KillAsync(Func<TimeSpan> clock)
    {
        Interlocked.Exchange(ref _stopping, 1);
        if (!_process.HasExited && Kill(_process.Id, SigKill) != 0)
            throw new InvalidOperationException(
                $"kill({_process.Id}, SIGKILL) failed: errno {Marshal.GetLastPInvokeError()}.");
        await _process.WaitForExitAsync();
        ExitedAt = clock();
    }

    /// <summary>Marks an exit noticed afterwards (it died on its own).</summary>
    public void NoteExit(TimeSpan now) => ExitedAt ??= now;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_log)
            _log.Dispose();
    }

    private void Write(string? line)
    {
        if (line is null)
            return;
        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output after disposal: the process is gone.
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
