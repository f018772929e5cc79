using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams;

/// <summary>Registers the engine's shared services.</summary>
public static class RedisStreamsServiceCollectionExtensions
{
    /// <summary>
    /// Registers, as singletons, <see cref="IRedisConnectionFactory"/> (<see cref="RedisConnectionFactory"/>, connected
    /// on first use or when its status is first read; <see cref="RedisConnectionFactory.ForSetting"/> when
    /// <see cref="RedisStreamsOptions.ConnectionSettingName"/> is set), <see cref="IStreamPublisher"/>
    /// (<see cref="StreamPublisher"/>) and
    /// <see cref="StreamGroupInspector"/>. The options are validated when the host starts (and on first resolve).
    /// Subscribers are not registered: adapters create a <see cref="StreamSubscriber"/> per stream and group.
    /// </summary>
    public static IServiceCollection AddRedisStreams(
        this IServiceCollection services, Action<RedisStreamsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<RedisStreamsOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<RedisStreamsOptions>, RedisStreamsOptionsValidator>());
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<RedisStreamsOptions>>().Value;
            return options.ConnectionSettingName is { } setting
                ? RedisConnectionFactory.ForSetting(setting, options.ConnectionString)
                : new RedisConnectionFactory(options.ConnectionString);
        });
        services.TryAddSingleton<IStreamPublisher>(provider => new StreamPublisher(
            provider.GetRequiredService<IRedisConnectionFactory>(),
            provider.GetRequiredService<IOptions<RedisStreamsOptions>>().Value.Publisher));
        services.TryAddSingleton(provider =>
            new StreamGroupInspector(provider.GetRequiredService<IRedisConnectionFactory>()));
        return services;
    }

    /// <summary>Shorthand for <see cref="AddRedisStreams(IServiceCollection, Action{RedisStreamsOptions})"/> with only
    /// a connection string.</summary>
    public static IServiceCollection AddRedisStreams(this IServiceCollection services, string connectionString) =>
        services.AddRedisStreams(options => options.ConnectionString = connectionString);
}
