using Microsoft.Azure.WebJobs.Host.Scale;
using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>Target-based scaling: asks for <see cref="RedisStreamScaling.TargetWorkerCount"/> workers.</summary>
public sealed class RedisStreamTargetScaler : ITargetScaler
{
    private readonly StreamSubscriberOptions _options;
    private readonly RedisStreamGroupMetricsReader _metrics;

    internal RedisStreamTargetScaler(string functionId, StreamSubscriberOptions options, RedisStreamGroupMetricsReader metrics)
    {
        _options = options;
        _metrics = metrics;
        TargetScalerDescriptor = new TargetScalerDescriptor(functionId);
    }

    public TargetScalerDescriptor TargetScalerDescriptor { get; }

    public async Task<TargetScalerResult> GetScaleResultAsync(TargetScalerContext context)
    {
        var sample = await _metrics.ReadAsync().ConfigureAwait(false);
        var concurrency = context?.InstanceConcurrency ?? _options.MaxConcurrency;
        return new TargetScalerResult { TargetWorkerCount = RedisStreamScaling.TargetWorkerCount(sample.Backlog, concurrency) };
    }
}
