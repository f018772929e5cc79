using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrdersFunctions.App.Hosting;

/// <summary>
/// Stops the worker when the Functions host that started it is gone. The host starts the isolated worker as a child
/// process and, killed with SIGKILL, cannot stop it; the worker's gRPC reader then ends without a word and nothing
/// else stops it (docs/functions-host.md), so it would run on as an orphan, its Kestrel still listening. Here the
/// worker remembers its parent process id at start and checks every <see cref="PollInterval"/> whether it changed (on
/// Linux an orphan is re-parented to init or a subreaper); then it stops gracefully through
/// <see cref="IHostApplicationLifetime.StopApplication"/>, and exits anyway after <see cref="ExitDeadline"/>.
/// </summary>
/// <remarks>
/// Only when the command line carries the host's worker arguments (<c>--functions-worker-id</c> or
/// <c>--workerId</c>), and only on Linux, where it reads <c>/proc/self/stat</c>: on Windows the host puts the worker
/// in a job object that ends it with the host. Not prctl(PR_SET_PDEATHSIG): that signal follows the parent's thread
/// that forked the worker, and the host's thread-pool threads come and go while the host lives.
/// </remarks>
public sealed partial class FunctionsHostWatch : IDisposable
{
    /// <summary>How often the parent process id is checked.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a graceful stop may take before the process exits regardless (the host gives its worker about
    /// 2 s on a normal stop).</summary>
    public static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(5);

    private static readonly string[] WorkerArguments = ["--functions-worker-id", "--workerId"];

    private readonly CancellationTokenSource _stop = new();
    private readonly int _parent;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly TextWriter _error;

    private FunctionsHostWatch(int parent, IHostApplicationLifetime lifetime, ILogger logger, TextWriter error)
    {
        _parent = parent;
        _lifetime = lifetime;
        _logger = logger;
        _error = error;
        _ = WatchAsync(_stop.Token);
    }

    /// <summary>Whether the command line is a Functions host's worker command line.</summary>
    public static bool StartedByFunctionsHost(IEnumerable<string> args) =>
        args.Any(a => WorkerArguments.Contains(a, StringComparer.OrdinalIgnoreCase));

    /// <summary>Starts watching when a Functions host started this process on Linux; null otherwise.</summary>
    public static FunctionsHostWatch? StartIfHosted(
        string[] args, IHostApplicationLifetime lifetime, ILogger logger, TextWriter error)
    {
        if (!OperatingSystem.IsLinux() || !StartedByFunctionsHost(args))
            return null;
        if (ParentProcessId() is not { } parent || parent <= 1)
            return null; // Already an orphan, or a host running as init: nothing to tell apart.
        return new FunctionsHostWatch(parent, lifetime, logger, error);
    }

    /// <summary>The parent process id from <c>/proc/self/stat</c> (the field after the command name, which is in
    /// parentheses and may itself contain spaces and parentheses).</summary>
    internal static int? ParentProcessId()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 1
                   && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid)
                ? ppid
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task WatchAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                if (ParentProcessId() == _parent)
                    continue;
                LogHostGone(_parent);
                // Also on standard error: the log pipeline may end at the host that just died.
                await _error.WriteLineAsync($"The Functions host (process {_parent}) is gone: stopping this worker.")
                    .ConfigureAwait(false);
                _lifetime.StopApplication();
                await Task.Delay(ExitDeadline, stopping).ConfigureAwait(false);
                // Still here: a stop that does not finish must not leave the orphan this watch exists to prevent.
                Environment.Exit(0);
            }
        }
        catch (OperationCanceledException)
        {
            // The worker is stopping (or stopped) on its own.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The Functions host (process {HostProcessId}) is gone: stopping this worker")]
    private partial void LogHostGone(int hostProcessId);
}
