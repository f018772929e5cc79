using Microsoft.Azure.WebJobs.Host.Scale;
using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// Incremental (vote-based) scaling for hosts without target-based scaling. The host samples
/// <see cref="GetMetricsAsync"/> (every 10 s by default), stores the samples and hands the recent ones back; the vote
/// compares the target of <see cref="RedisStreamScaleRule"/>, with the throughput measured from those samples, to the
/// workers running now: more → scale out, fewer → scale in, equal → none.
/// </summary>
public sealed class RedisStreamScaleMonitor : IScaleMonitor<RedisStreamGroupMetrics>
{
    private readonly StreamSubscriberOptions _options;
    private readonly RedisStreamScaleOptions _scale;
    private readonly RedisStreamGroupMetricsReader _metrics;

    internal RedisStreamScaleMonitor(string functionId, StreamSubscriberOptions options, RedisStreamScaleOptions scale,
        RedisStreamGroupMetricsReader metrics)
    {
        _options = options;
        _scale = scale;
        _metrics = metrics;
        // Constant per function and group: the scale controller keys stored samples by it.
        Descriptor = new ScaleMonitorDescriptor(
            $"{functionId}-RedisConsumerGroupTrigger-{options.Stream}-{options.Group}".ToLowerInvariant(), functionId);
    }

    public ScaleMonitorDescriptor Descriptor { get; }

    public Task<RedisStreamGroupMetrics> GetMetricsAsync() => _metrics.ReadAsync();

    async Task<ScaleMetrics> IScaleMonitor.GetMetricsAsync() => await GetMetricsAsync().ConfigureAwait(false);

    public ScaleStatus GetScaleStatus(ScaleStatusContext<RedisStreamGroupMetrics> context) =>
        Vote(context?.WorkerCount ?? 0, context?.Metrics);

    ScaleStatus IScaleMonitor.GetScaleStatus(ScaleStatusContext context) =>
        Vote(context?.WorkerCount ?? 0, context?.Metrics?.OfType<RedisStreamGroupMetrics>());

    internal ScaleStatus Vote(int workerCount, IEnumerable<RedisStreamGroupMetrics>? metrics)
    {
        var samples = metrics?.OrderBy(s => s.Timestamp).ToArray() ?? [];
        if (samples.Length == 0)
            return new ScaleStatus { Vote = ScaleVote.None };
        var rate = RedisStreamThroughput.PerInstanceSecond(samples, _scale.ThroughputWindow);
        var arrivals = RedisStreamThroughput.ArrivalsPerSecond(samples, _scale.ThroughputWindow);
        var target = RedisStreamScaleRule.Decide(samples[^1].Backlog, rate, arrivals, _scale, _options.MaxConcurrency)
            .TargetWorkerCount;
        var vote = target > workerCount ? ScaleVote.ScaleOut
            : target < workerCount ? ScaleVote.ScaleIn
            : ScaleVote.None;
        return new ScaleStatus { Vote = vote };
    }
}
