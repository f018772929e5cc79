using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.Overview;

namespace OrdersFunctions.App.Ops;

/// <summary>Runs the engine's <see cref="StreamOverviewMonitor"/> for the orders stream while the app runs, so the
/// OpenTelemetry gauges (lag, pending, oldest pending age, lengths, dead letters) have figures to report.</summary>
public sealed class OverviewMonitorService(StreamOverviewReader reader, OpsTopology topology, ILogger<StreamOverviewMonitor> logger) : IHostedService
{
    private StreamOverviewMonitor? _monitor;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _monitor = new StreamOverviewMonitor(reader, topology.Streams.Select(s => topology.OverviewRequest(s.Name)), StreamOverviewMonitor.DefaultInterval, logger);
        _monitor.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_monitor is not null)
            await _monitor.DisposeAsync();
    }
}
