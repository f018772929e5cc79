using Microsoft.Azure.WebJobs.Host.Scale;
using OrdersFunctions.Bench.Scale.Instances;
using OrdersFunctions.RedisStreams.WebJobs;

namespace OrdersFunctions.Bench.Scale.Control;

/// <summary>
/// Plays the platform's scale controller with runtime scale monitoring: every <see cref="ControllerRules.Interval"/> it
/// asks each stream-triggered function's own scaler, through the interfaces the Functions host calls
/// (<see cref="ITargetScaler.GetScaleResultAsync"/> with a fresh <see cref="TargetScalerContext"/>, or
/// <see cref="IScaleMonitor.GetMetricsAsync"/> plus <see cref="IScaleMonitor.GetScaleStatus"/> over the samples of the
/// last 2 minutes, as the host's ScaleManager does), turns the answers into an instance count (<see cref="ScaleStep"/>)
/// and starts or stops instances.
/// </summary>
public sealed class ScaleController(ControllerRules rules, IReadOnlyList<RedisStreamScalers> scalers, InstancePool pool,
    Func<TimeSpan> clock, TextWriter log)
{
    /// <summary>The host's ScaleOptions.ScaleMetricsMaxAge default: older samples are not passed back.</summary>
    private static readonly TimeSpan SampleMaxAge = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, List<RedisStreamGroupMetrics>> _samples = [];
    private readonly ScaleStep _step = new(rules);

    /// <summary>The instance count it asked for last.</summary>
    public int Desired { get; private set; }

    /// <summary>Per function, the latest target decision (target-based mode).</summary>
    public IReadOnlyDictionary<string, RedisStreamScaleDecision?> Decisions =>
        scalers.ToDictionary(s => s.Options.Group, s => s.TargetScaler.LastDecision);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Desired = pool.Running;
        using var timer = new PeriodicTimer(rules.Interval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            pool.NoteUnexpectedExits();
            var running = pool.Running;
            var asked = rules.Mode == ScalingMode.Target ? await TargetsAsync() : await VotesAsync(running);
            var desired = rules.Mode == ScalingMode.Target
                ? _step.FromTargets(running, asked, clock())
                : _step.FromVotes(running, asked, clock());
            Desired = desired;
            if (desired == running)
                continue;
            var what = rules.Mode == ScalingMode.Target ? "targets" : "votes";
            var at = clock().TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            var answers = string.Join(", ", asked);
            await log.WriteLineAsync($"  {at,6} s  {running} → {desired} instances ({what} {answers})");
            await pool.ScaleToAsync(desired, cancellationToken);
        }
    }

    private async Task<List<int>> TargetsAsync()
    {
        var targets = new List<int>();
        foreach (var scaler in scalers)
            targets.Add((await scaler.TargetScaler.GetScaleResultAsync(new TargetScalerContext())).TargetWorkerCount);
        return targets;
    }

    private async Task<List<int>> VotesAsync(int running)
    {
        var votes = new List<int>();
        foreach (var scaler in scalers)
        {
            var monitor = (IScaleMonitor)scaler.Monitor;
            var samples = Samples(monitor.Descriptor.Id);
            samples.Add((RedisStreamGroupMetrics)await monitor.GetMetricsAsync());
            samples.RemoveAll(s => s.Timestamp < DateTime.UtcNow - SampleMaxAge);
            var context = new ScaleStatusContext { WorkerCount = running, Metrics = [.. samples] };
            var status = monitor.GetScaleStatus(context);
            votes.Add((int)status.Vote);
        }
        return votes;
    }

    private List<RedisStreamGroupMetrics> Samples(string id) =>
        _samples.TryGetValue(id, out var list) ? list : _samples[id] = [];
}
