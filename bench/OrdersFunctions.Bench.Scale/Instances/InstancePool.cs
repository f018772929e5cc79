using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace OrdersFunctions.Bench.Scale.Instances;

/// <summary>
/// The instances of one scenario: starts new ones (each a new consumer identity, never reused), stops the newest
/// first with SIGTERM, and checks right after each stop that its consumer holds nothing pending in any group.
/// </summary>
public sealed class InstancePool : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private readonly RepositoryLayout _layout;
    private readonly InstanceSettings _settings;
    private readonly IDatabase _redis;
    private readonly Func<TimeSpan> _clock;
    private readonly HttpClient _http;
    private readonly List<AppInstance> _instances = [];
    private readonly object _gate = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentQueue<StopRecord> _stops = new();
    private int _started;

    public InstancePool(RepositoryLayout layout, InstanceSettings settings, IDatabase redis, HttpClient http,
        Func<TimeSpan> clock)
    {
        _layout = layout;
        _settings = settings;
        _redis = redis;
        _http = http;
        _clock = clock;
    }

    /// <summary>Processes started and not exited (starting ones included: the platform bills them too).</summary>
    public int Running
    {
        get { lock (_gate) return _instances.Count(i => !i.HasExited); }
    }

    /// <summary>Instances the load may send orders to: ready, not stopping, not exited.</summary>
    public IReadOnlyList<AppInstance> Routable
    {
        get { lock (_gate) return _instances.Where(i => i.IsReady && !i.IsStopping && !i.HasExited).ToList(); }
    }

    public IReadOnlyList<AppInstance> All
    {
        get { lock (_gate) return [.. _instances]; }
    }

    /// <summary>What went wrong with instances: a failed start, an unclean stop, pending entries left.</summary>
    public IReadOnlyCollection<string> Problems => _problems;

    public IReadOnlyCollection<StopRecord> Stops => _stops;

    /// <summary>Starts or stops instances until <paramref name="count"/> run; started ones become routable when
    /// ready.</summary>
    public async Task ScaleToAsync(int count, CancellationToken cancellationToken)
    {
        List<AppInstance> live;
        lock (_gate)
            live = _instances.Where(i => !i.HasExited && !i.IsStopping).ToList();
        if (count > live.Count)
        {
            for (var i = live.Count; i < count; i++)
                _ = WaitReadyAsync(StartOne(), cancellationToken);
        }
        else if (count < live.Count)
        {
            // The newest first: the always-ready instance stays, as on the platform.
            var leaving = live.OrderByDescending(i => i.StartedAt).Take(live.Count - count);
            await Task.WhenAll(leaving.Select(StopAsync));
        }
    }

    /// <summary>Starts <paramref name="count"/> instances and waits until they answer.</summary>
    public async Task StartAndWaitAsync(int count, CancellationToken cancellationToken)
    {
        var started = Enumerable.Range(0, count).Select(_ => StartOne()).ToList();
        await Task.WhenAll(started.Select(i => i.WaitReadyAsync(_http, ReadyTimeout, cancellationToken)));
    }

    /// <summary>SIGKILL of the newest working instance but the first (one that answers, so it holds entries);
    /// returns it (null when only one works).</summary>
    public async Task<AppInstance?> KillOneAsync()
    {
        AppInstance? victim;
        lock (_gate)
            victim = _instances.Where(i => i.IsReady && !i.HasExited && !i.IsStopping).OrderBy(i => i.StartedAt).Skip(1)
                .LastOrDefault();
        if (victim is not null)
            await victim.KillAsync(_clock);
        return victim;
    }

    /// <summary>Notes instances that exited without being asked: each is a problem.</summary>
    public void NoteUnexpectedExits()
    {
        foreach (var instance in All.Where(i => i.HasExited && !i.IsStopping && i.ExitedAt is null))
        {
            instance.NoteExit(_clock());
            _problems.Enqueue($"instance {instance.Name} exited on its own with code {instance.ExitCode}");
        }
    }

    /// <summary>Stops every instance (SIGTERM), the end of a scenario.</summary>
    public Task StopAllAsync() => Task.WhenAll(All.Where(i => !i.HasExited && !i.IsStopping).Select(StopAsync));

    /// <summary>Instance-seconds used between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public double InstanceSeconds(TimeSpan from, TimeSpan to, TimeSpan now) => All.Sum(i =>
    {
        var start = i.StartedAt < from ? from : i.StartedAt;
        var end = i.ExitedAt ?? now;
        end = end > to ? to : end;
        return Math.Max(0, (end - start).TotalSeconds);
    });

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in All)
            await instance.DisposeAsync();
    }

    private AppInstance StartOne()
    {
        var number = Interlocked.Increment(ref _started);
        var name = $"{_settings.ScenarioName}-i{number}";
        var instance = AppInstance.Start(_layout, name, FreePort(), _settings.SettingsFile,
            _settings.EnvironmentFor(name), Path.Combine(_settings.Folder, $"{name}.log"), _clock());
        lock (_gate)
            _instances.Add(instance);
        return instance;
    }

    private async Task WaitReadyAsync(AppInstance instance, CancellationToken cancellationToken)
    {
        try
        {
            await instance.WaitReadyAsync(_http, ReadyTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Stopped or killed while starting (a scale-in or the kill overtook the start): not a failed start.
            if (!cancellationToken.IsCancellationRequested && !instance.IsStopping)
                _problems.Enqueue($"instance {instance.Name} did not start: {ex.Message}");
        }
    }

    private async Task StopAsync(AppInstance instance)
    {
        var exitCode = await instance.TerminateAsync(StopTimeout, _clock);
        if (exitCode != 0)
            _problems.Enqueue($"instance {instance.Name} did not stop cleanly on SIGTERM (exit code {exitCode})");
        long pendingLeft = 0;
        foreach (var group in AppFunctions.Groups)
        {
            var pending = await _redis.StreamPendingAsync(_settings.Stream, group);
            pendingLeft += pending.Consumers.Where(c => c.Name == instance.Name).Sum(c => (long)c.PendingMessageCount);
        }
        _stops.Enqueue(new StopRecord(instance.Name, instance.ExitedAt ?? _clock(), exitCode, pendingLeft));
        if (pendingLeft > 0)
            _problems.Enqueue($"instance {instance.Name} left {pendingLeft} entries pending after SIGTERM");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>An instance stopped with SIGTERM: when, its exit code, and what its consumer still held (should be
/// 0).</summary>
public sealed record StopRecord(string Instance, TimeSpan At, int ExitCode, long PendingLeft);
