using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrdersFunctions.RedisStreams.Telemetry;

namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>
/// Keeps a recent <see cref="StreamOverviewReader"/> snapshot of some streams, refreshed in the background every
/// <c>interval</c>, and publishes it through the gauges of <see cref="StreamsTelemetry"/> while running. A failed
/// refresh keeps the previous snapshot (gauges keep reporting it) and logs one warning per outage. Start and stop once.
/// </summary>
public sealed class StreamOverviewMonitor : IAsyncDisposable
{
    /// <summary>The default refresh interval.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(15);

    private readonly StreamOverviewReader _reader;
    private readonly IReadOnlyList<StreamOverviewRequest> _streams;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private volatile OverviewSnapshot? _snapshot;
    private bool _failing;

    public StreamOverviewMonitor(StreamOverviewReader reader, IEnumerable<StreamOverviewRequest> streams, TimeSpan? interval = null,
        ILogger<StreamOverviewMonitor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(streams);
        _reader = reader;
        _streams = streams.ToArray();
        _interval = interval ?? DefaultInterval;
        if (_interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(interval), _interval, "The refresh interval must be positive, e.g. 00:00:15.");
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The latest snapshot, or null before the first successful refresh.</summary>
    public OverviewSnapshot? Snapshot => _snapshot;

    /// <summary>Registers the gauges and starts refreshing in the background (the first refresh at once).</summary>
    public void Start()
    {
        OverviewGauges.Register(this);
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Reads a fresh snapshot now and keeps it; throws when Redis cannot be read.</summary>
    public async Task<OverviewSnapshot> RefreshAsync(CancellationToken cancellationToken = default)
    {
        var streams = await _reader.ReadAsync(_streams, cancellationToken).ConfigureAwait(false);
        var snapshot = new OverviewSnapshot(DateTimeOffset.UtcNow, streams);
        _snapshot = snapshot;
        return snapshot;
    }

    /// <summary>Stops refreshing and withdraws this monitor's figures from the gauges.</summary>
    public async Task StopAsync()
    {
        OverviewGauges.Unregister(this);
        _stop.Cancel();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is what cancelled it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stopping).ConfigureAwait(false);
                if (_failing)
                    _logger.LogInformation("Stream overview refreshed again for the gauges");
                _failing = false;
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                // Stopping: whatever the cut-off refresh threw (a cancellation, or a connection error it caused) is
                // not a failure to report, and must not make StopAsync/DisposeAsync throw.
                return;
            }
            catch (Exception ex)
            {
                if (!_failing)
                    _logger.LogWarning("Stream overview refresh failed; the gauges keep the last figures until Redis answers: {Error}", ex.Message);
                _failing = true;
            }
            try
            {
                await Task.Delay(_interval, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
