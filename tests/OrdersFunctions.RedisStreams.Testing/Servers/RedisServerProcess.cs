using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace OrdersFunctions.RedisStreams.Testing.Servers;

/// <summary>
/// A <c>redis-server</c> child process bound to 127.0.0.1 on its own port with its own data directory. Snapshots are
/// off (<c>--save ''</c>); the append-only file is on when asked. Killed, and its directory deleted, on dispose.
/// <see cref="RestartAsync"/> brings it back on the same port with the same directory, so an AOF survives.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    /// <summary>What to tell a developer who has no redis-server.</summary>
    public const string InstallHint = "install redis-server (apt-get install -y redis-server)";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly string _executable;
    private readonly IReadOnlyList<string> _extraArguments;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private RedisServerProcess(
        string executable,
        int port,
        string directory,
        bool appendOnly,
        IReadOnlyList<string> extraArguments)
    {
        _executable = executable;
        Port = port;
        Directory = directory;
        AppendOnly = appendOnly;
        _extraArguments = extraArguments;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Its working and data directory (AOF, cluster config).</summary>
    public string Directory { get; }

    /// <summary>Whether the append-only file is on.</summary>
    public bool AppendOnly { get; }

    /// <summary><c>127.0.0.1:{Port}</c>.</summary>
    public string EndPoint => $"127.0.0.1:{Port}";

    /// <summary>The server's process id while it runs.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>The redis-server on PATH, or null.</summary>
    public static string? FindExecutable() => Executables.Find("redis-server");

    /// <summary>Starts redis-server on a free loopback port (retrying on a new port if another process took it
    /// first).</summary>
    /// <param name="appendOnly">Turn the append-only file on (<c>appendfsync always</c>, so nothing acknowledged is
    /// lost even when the process is killed).</param>
    /// <param name="extraArguments">More <c>--option value</c> arguments, e.g. for cluster mode.</param>
    /// <param name="needsBusPort">Also require port + 10000 to be free (Redis Cluster's bus port).</param>
    /// <exception cref="InvalidOperationException">redis-server is not on PATH or does not start.</exception>
    public static async Task<RedisServerProcess> StartAsync(
        bool appendOnly = false,
        IReadOnlyList<string>? extraArguments = null,
        bool needsBusPort = false,
        CancellationToken cancellationToken = default)
    {
        var executable = FindExecutable()
            ?? throw new InvalidOperationException($"redis-server is not on PATH: {InstallHint}.");
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreeTcpPort.Next(needsBusPort ? 10_000 : null);
            var directory = Path.Combine(Path.GetTempPath(), "orders-redis-tests", $"{port}-{Guid.NewGuid():N}");
            System.IO.Directory.CreateDirectory(directory);
            var server = new RedisServerProcess(executable, port, directory, appendOnly, extraArguments ?? []);
            try
            {
                await server.LaunchAsync(cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException ex)
            {
                last = ex;
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
        throw new InvalidOperationException($"redis-server did not start after 3 attempts: {last?.Message}", last);
    }

    /// <summary>Stops the server (SIGKILL when <paramref name="kill"/>, else SHUTDOWN NOSAVE) and starts it again on
    /// the same port with the same directory and arguments; returns when it answers PING (i.e. after it loaded its
    /// AOF).</summary>
    public async Task RestartAsync(bool kill = true, CancellationToken cancellationToken = default)
    {
        await StopAsync(kill).ConfigureAwait(false);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                await LaunchAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                // The port can linger briefly after a kill; try again.
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops the server: SIGKILL (a crash) when <paramref name="kill"/>, else SHUTDOWN NOSAVE (clean; the
    /// AOF is flushed either way because <c>appendfsync always</c>).</summary>
    public async Task StopAsync(bool kill = true)
    {
        var process = _process;
        _process = null;
        if (process is null)
            return;
        try
        {
            if (!process.HasExited)
            {
                if (!kill)
                    await TryShutdownCommandAsync().ConfigureAwait(false);
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
            }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or refuses to die within 10 s; nothing more a test can do.
        }
        finally
        {
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(kill: true).ConfigureAwait(false);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp directory is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Makes the running server require <paramref name="password"/> (<c>CONFIG SET requirepass</c>; set after
    /// start, because the readiness probe speaks without one). A restart drops it; the fixture then kills, not
    /// SHUTDOWNs, the server.</summary>
    public async Task RequirePasswordAsync(string password)
    {
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer
            .ConnectAsync($"{EndPoint},allowAdmin=true")
            .ConfigureAwait(false);
        await admin.GetServer(EndPoint).ConfigSetAsync("requirepass", password).ConfigureAwait(false);
    }

    /// <summary>The server's recent output, for failure messages.</summary>
    public string RecentOutput()
    {
        lock (_output)
            return _output.ToString();
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_executable)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments())
            start.ArgumentList.Add(argument);
        lock (_output)
            _output.Clear();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        if (!process.Start())
            throw new InvalidOperationException($"redis-server at {_executable} did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        RedisProcessReaper.Track(process);

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
                throw new InvalidOperationException(
                    $"redis-server on port {Port} exited with code {process.ExitCode} at start: {RecentOutput()}");
            if (await OurServerAnswersAsync().ConfigureAwait(false))
                return;
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        await StopAsync(kill: true).ConfigureAwait(false);
        throw new InvalidOperationException(
            $"redis-server on port {Port} did not answer PING as itself (CONFIG GET dir) " +
            $"within {StartTimeout.TotalSeconds} s: {RecentOutput()}");
    }

    private IEnumerable<string> Arguments()
    {
        string[] basic =
        [
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--protected-mode", "yes",
            "--dir", Directory,
            "--save", "",
            "--appendonly", AppendOnly ? "yes" : "no",
            "--appendfsync", "always",
            "--daemonize", "no",
            "--logfile", "",
            "--loglevel", "warning",
        ];
        return basic.Concat(_extraArguments);
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
        {
            if (_output.Length > 16_000)
                _output.Remove(0, 8_000);
            _output.AppendLine(line);
        }
    }

    /// <summary>
    /// Whether the server on <see cref="Port"/> is this one and ready, over a fresh socket with raw RESP: CONFIG GET
    /// dir must name our directory (it has a GUID in it; a bare PING could be answered by another test's Redis that
    /// took the port between the probe and our bind, while ours is on its way to failing), and PING must answer +PONG
    /// (ready means the dataset and AOF are loaded: a loading server answers -LOADING to PING, though not to CONFIG
    /// GET).
    /// </summary>
    private async Task<bool> OurServerAnswersAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync("127.0.0.1", Port, timeout.Token).ConfigureAwait(false);
            await socket.SendAsync(
                    "*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$3\r\ndir\r\n*1\r\n$4\r\nPING\r\n"u8.ToArray(),
                    timeout.Token)
                .ConfigureAwait(false);
            var marker = Path.GetFileName(Directory);
            var reply = new StringBuilder();
            var buffer = new byte[1024];
            // PING's answer comes last: a line starting with '+' (PONG) or '-' (LOADING, or any other refusal).
            while (!reply.ToString().Contains("\r\n+PONG\r\n", StringComparison.Ordinal)
                   && !reply.ToString().Contains("\r\n-", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                    return false;
                reply.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
            var text = reply.ToString();
            return text.Contains(marker, StringComparison.Ordinal)
                   && text.Contains("\r\n+PONG\r\n", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    private async Task TryShutdownCommandAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync("127.0.0.1", Port, timeout.Token).ConfigureAwait(false);
            await socket.SendAsync("*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n"u8.ToArray(), timeout.Token)
                .ConfigureAwait(false);
            var buffer = new byte[64];
            await socket.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false); // returns 0 when the server closes
            if (_process is { } p)
                await p.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            // Fall back to kill.
        }
    }
}
