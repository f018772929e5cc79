using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>The scale monitor and target scaler of one stream-triggered function, over one metrics reader, with the
/// options they were built from.</summary>
/// <param name="FunctionId">The host's id of the function (the descriptors carry it).</param>
/// <param name="Monitor">Incremental scaling: samples and votes.</param>
/// <param name="TargetScaler">Target-based scaling.</param>
/// <param name="Options">The function's subscriber options (stream, group, MaxConcurrency, …).</param>
/// <param name="ScaleOptions">The options of the scale rule.</param>
public sealed record RedisStreamScalers(
    string FunctionId,
    RedisStreamScaleMonitor Monitor,
    RedisStreamTargetScaler TargetScaler,
    StreamSubscriberOptions Options,
    RedisStreamScaleOptions ScaleOptions)
{
    internal static RedisStreamScalers Create(string functionId, StreamSubscriberOptions options,
        RedisStreamScaleOptions scaleOptions, IRedisConnectionFactory connections)
    {
        var metrics = new RedisStreamGroupMetricsReader(connections, options.Stream, options.Group,
            scaleOptions.ThroughputWindow);
        return new RedisStreamScalers(
            functionId,
            new RedisStreamScaleMonitor(functionId, options, scaleOptions, metrics),
            new RedisStreamTargetScaler(functionId, options, scaleOptions, metrics),
            options,
            scaleOptions);
    }
}
