using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersFunctions.Operations.DeadLetters;
using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.App.Ops;

/// <summary>Registers the dead-letter operations behind the <c>/api/ops/dead-letters</c> functions.</summary>
public static class DeadLetterOpsRegistration
{
    public static IServiceCollection AddDeadLetterOps(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeadLetterStoreOptions>()
            .Configure<OpsTopology>((o, topology) =>
            {
                var settings = DeadLetterStoreSettings.From(configuration, topology);
                o.ReplayCap = settings.ReplayCap;
                o.OutcomeRetention = settings.OutcomeRetention;
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeadLetterStoreOptions>, DeadLetterStoreOptionsValidator>();
        services.AddSingleton(provider => new DeadLetterStore(
            provider.GetRequiredService<IRedisConnectionFactory>(),
            provider.GetRequiredService<IOptions<DeadLetterStoreOptions>>().Value,
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DeadLetterActions>();
        return services;
    }
}
