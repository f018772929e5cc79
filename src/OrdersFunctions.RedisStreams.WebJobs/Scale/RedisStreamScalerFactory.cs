using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// Builds a function's <see cref="RedisStreamScalers"/> outside a running host, exactly as its listener does inside
/// one:
/// the same <c>%Setting%</c> resolution, option layers (host.json <c>extensions:redisStreams</c> under
/// <c>AzureFunctionsJobHost</c>, app settings, the attribute, per-function settings), validation and shared connection
/// per connection string. For tools that play the scale controller (bench/OrdersFunctions.Bench.Scale).
/// </summary>
public sealed class RedisStreamScalerFactory
{
    private readonly RedisConsumerGroupTriggerBindingProvider _provider;

    /// <param name="configuration">What the host's configuration would hold (app settings, host.json under
    /// <c>AzureFunctionsJobHost</c>).</param>
    /// <param name="connections">Connection factories; dispose them when done.</param>
    public RedisStreamScalerFactory(IConfiguration configuration, RedisConnectionFactoryCache connections)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _provider = new RedisConsumerGroupTriggerBindingProvider(configuration, new DefaultNameResolver(configuration),
            connections, NullLoggerFactory.Instance);
    }

    /// <summary>The scalers of one function.</summary>
    /// <param name="functionName">The function's name (for per-function settings).</param>
    /// <param name="attribute">The host-side attribute, as the host builds it from the function's metadata.</param>
    /// <param name="functionId">The host's function id; the Functions host uses <c>Host.Functions.{Name}</c>.</param>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid (the message says
    /// which).</exception>
    public RedisStreamScalers Create(string functionName, RedisConsumerGroupTriggerAttribute attribute,
        string? functionId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(functionName);
        ArgumentNullException.ThrowIfNull(attribute);
        var plan = _provider.Plan(functionName, attribute);
        return RedisStreamScalers.Create(functionId ?? $"Host.Functions.{functionName}", plan.Options,
            plan.ScaleOptions, plan.Connections);
    }
}
