using Microsoft.Azure.WebJobs.Host.Scale;
using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// Target-based scaling (<see cref="RedisStreamScaleRule"/>). The host calls it live and keeps no samples for it, so it
/// keeps its own: those of the last <see cref="RedisStreamScaleOptions.ThroughputWindow"/> (and the one before), from
/// which it measures the throughput per instance and the arrival rate, and the last throughput it measured, used while
/// the current window cannot tell (nothing waited).
/// </summary>
public sealed class RedisStreamTargetScaler : ITargetScaler
{
    private readonly StreamSubscriberOptions _options;
    private readonly RedisStreamScaleOptions _scale;
    private readonly RedisStreamGroupMetricsReader _metrics;
    private readonly List<RedisStreamGroupMetrics> _samples = [];
    private readonly object _gate = new();
    private double? _lastKnownRate;

    internal RedisStreamTargetScaler(string functionId, StreamSubscriberOptions options, RedisStreamScaleOptions scale,
        RedisStreamGroupMetricsReader metrics)
    {
        _options = options;
        _scale = scale;
        _metrics = metrics;
        TargetScalerDescriptor = new TargetScalerDescriptor(functionId);
    }

    public TargetScalerDescriptor TargetScalerDescriptor { get; }

    /// <summary>The decision behind the latest result; null before the first.</summary>
    public RedisStreamScaleDecision? LastDecision { get; private set; }

    public async Task<TargetScalerResult> GetScaleResultAsync(TargetScalerContext context)
    {
        var sample = await _metrics.ReadAsync().ConfigureAwait(false);
        var concurrency = context?.InstanceConcurrency ?? _options.MaxConcurrency;
        var decision = Decide(sample, concurrency);
        return new TargetScalerResult { TargetWorkerCount = decision.TargetWorkerCount };
    }

    internal RedisStreamScaleDecision Decide(RedisStreamGroupMetrics sample, int concurrency)
    {
        lock (_gate)
        {
            _samples.Add(sample);
            _samples.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
            // Keep the window and the sample just before it: the first pair of the window needs its start.
            var since = _samples[^1].Timestamp - _scale.ThroughputWindow;
            var firstInWindow = _samples.FindIndex(s => s.Timestamp >= since);
            if (firstInWindow > 1)
                _samples.RemoveRange(0, firstInWindow - 1);
            var rate = RedisStreamThroughput.PerInstanceSecond(_samples, _scale.ThroughputWindow) ?? _lastKnownRate;
            _lastKnownRate = rate;
            var arrivals = RedisStreamThroughput.ArrivalsPerSecond(_samples, _scale.ThroughputWindow);
            var decision = RedisStreamScaleRule.Decide(sample.Backlog, rate, arrivals, _scale, concurrency);
            LastDecision = decision;
            return decision;
        }
    }
}
