using Microsoft.Extensions.Logging;
using OrdersFunctions.RedisStreams.Telemetry;

namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>
/// Publishes the overview through the gauges of <see cref="StreamsTelemetry"/> while running: the gauges read the
/// latest snapshot of an <see cref="OverviewSnapshots"/> (never Redis), and the monitor holds a
/// <see cref="OverviewSnapshots.KeepFresh"/> lease so that snapshot is refreshed every <c>interval</c> in the
/// background. Given a shared <see cref="OverviewSnapshots"/>, the gauges cost no Redis reads of their own beyond
/// what the other readers of that service cause. A failed refresh keeps the previous snapshot (the gauges keep
/// reporting it) and is logged once per outage. Start and stop once.
/// </summary>
public sealed class StreamOverviewMonitor : IAsyncDisposable
{
    /// <summary>The default refresh interval.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(15);

    private readonly OverviewSnapshots _snapshots;
    private readonly bool _ownsSnapshots;
    private readonly TimeSpan _interval;
    private IDisposable? _lease;
    private int _stopped;

    /// <summary>A monitor with snapshots of its own (read at most every <paramref name="interval"/>).</summary>
    public StreamOverviewMonitor(StreamOverviewReader reader, IEnumerable<StreamOverviewRequest> streams,
        TimeSpan? interval = null, ILogger<StreamOverviewMonitor>? logger = null)
        : this(OwnSnapshots(reader, streams, interval, logger), interval, owns: true)
    {
    }

    /// <summary>A monitor over shared snapshots: the gauges report them, kept no older than
    /// <paramref name="interval"/> while the monitor runs.</summary>
    public StreamOverviewMonitor(OverviewSnapshots snapshots, TimeSpan? interval = null)
        : this(snapshots, interval, owns: false)
    {
    }

    private StreamOverviewMonitor(OverviewSnapshots snapshots, TimeSpan? interval, bool owns)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        _snapshots = snapshots;
        _ownsSnapshots = owns;
        _interval = ValidInterval(interval);
    }

    /// <summary>The latest snapshot, or null before the first successful refresh.</summary>
    public OverviewSnapshot? Snapshot => _snapshots.Latest;

    /// <summary>Registers the gauges and starts refreshing in the background (the first refresh at once).</summary>
    public void Start()
    {
        OverviewGauges.Register(_snapshots);
        _lease = _snapshots.KeepFresh(_interval);
    }

    /// <summary>A snapshot no older than the snapshots' minimum interval, read now if the latest is older; throws
    /// when Redis cannot be read.</summary>
    public Task<OverviewSnapshot> RefreshAsync(CancellationToken cancellationToken = default) =>
        _snapshots.GetAsync(TimeSpan.Zero, cancellationToken);

    /// <summary>Stops refreshing and withdraws this monitor's figures from the gauges.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
            return;
        if (_lease is not null)
        {
            OverviewGauges.Unregister(_snapshots);
            _lease.Dispose();
        }
        if (_ownsSnapshots)
            await _snapshots.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private static OverviewSnapshots OwnSnapshots(StreamOverviewReader reader,
        IEnumerable<StreamOverviewRequest> streams, TimeSpan? interval, ILogger? logger)
    {
        var every = ValidInterval(interval);
        var fastest = OverviewSnapshotOptions.DefaultMinInterval;
        var options = new OverviewSnapshotOptions { MinInterval = every < fastest ? every : fastest };
        return new OverviewSnapshots(reader, streams, options, logger);
    }

    private static TimeSpan ValidInterval(TimeSpan? interval)
    {
        var every = interval ?? DefaultInterval;
        if (every <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(interval), every,
                "The refresh interval must be positive, e.g. 00:00:15.");
        return every;
    }
}
