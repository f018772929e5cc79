using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>What one stream-triggered function runs with: its subscriber options, its scale options and its
/// connection factory, resolved once by <see cref="RedisConsumerGroupTriggerBindingProvider"/>.</summary>
internal sealed record RedisStreamFunctionPlan(
    StreamSubscriberOptions Options,
    RedisStreamScaleOptions ScaleOptions,
    IRedisConnectionFactory Connections);
