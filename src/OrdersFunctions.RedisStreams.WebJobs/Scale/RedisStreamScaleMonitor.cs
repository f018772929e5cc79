using Microsoft.Azure.WebJobs.Host.Scale;
using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// Incremental (vote-based) scaling for hosts without target-based scaling: votes to scale out while the latest backlog
/// needs more workers than run now (see <see cref="RedisStreamScaling"/>) or has grown over the last samples, to scale
/// in when nothing has waited in any recent sample or fewer workers would do, and to stay otherwise.
/// </summary>
public sealed class RedisStreamScaleMonitor : IScaleMonitor<RedisStreamGroupMetrics>
{
    /// <summary>How many of the latest samples a trend needs.</summary>
    public const int TrendSamples = 5;

    private readonly StreamSubscriberOptions _options;
    private readonly RedisStreamGroupMetricsReader _metrics;

    internal RedisStreamScaleMonitor(string functionId, StreamSubscriberOptions options, RedisStreamGroupMetricsReader metrics)
    {
        _options = options;
        _metrics = metrics;
        // Constant per function and group: the scale controller keys stored samples by it.
        Descriptor = new ScaleMonitorDescriptor($"{functionId}-RedisStreamTrigger-{options.Stream}-{options.Group}".ToLowerInvariant(), functionId);
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
        var samples = metrics?.ToArray() ?? [];
        if (samples.Length == 0)
            return new ScaleStatus { Vote = ScaleVote.None };

        var latest = samples[^1];
        var target = RedisStreamScaling.TargetWorkerCount(latest.Backlog, _options.MaxConcurrency);
        if (target > workerCount)
            return new ScaleStatus { Vote = ScaleVote.ScaleOut };

        var recent = samples.Length > TrendSamples ? samples[^TrendSamples..] : samples;
        if (recent.All(s => s.Backlog == 0))
            return new ScaleStatus { Vote = workerCount > 0 ? ScaleVote.ScaleIn : ScaleVote.None };
        if (recent.Length == TrendSamples && IsRising(recent))
            return new ScaleStatus { Vote = ScaleVote.ScaleOut };
        if (target < workerCount && recent.Length == TrendSamples && IsFalling(recent))
            return new ScaleStatus { Vote = ScaleVote.ScaleIn };
        return new ScaleStatus { Vote = ScaleVote.None };
    }

    private static bool IsRising(RedisStreamGroupMetrics[] samples)
    {
        for (var i = 1; i < samples.Length; i++)
            if (samples[i].Backlog <= samples[i - 1].Backlog) return false;
        return true;
    }

    private static bool IsFalling(RedisStreamGroupMetrics[] samples)
    {
        for (var i = 1; i < samples.Length; i++)
            if (samples[i].Backlog >= samples[i - 1].Backlog) return false;
        return true;
    }
}
