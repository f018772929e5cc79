using Microsoft.Extensions.Hosting;
using OrdersFunctions.RedisStreams.Overview;

namespace OrdersFunctions.App.Ops;

/// <summary>Publishes the shared overview snapshot through the engine's OpenTelemetry gauges (lag, pending, oldest
/// pending age, lengths, dead letters) while the app runs, keeping it fresh at the gauges' interval.</summary>
public sealed class OverviewMonitorService(OverviewSnapshots snapshots) : IHostedService
{
    private StreamOverviewMonitor? _monitor;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _monitor = new StreamOverviewMonitor(snapshots, StreamOverviewMonitor.DefaultInterval);
        _monitor.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_monitor is not null)
            await _monitor.DisposeAsync();
    }
}
