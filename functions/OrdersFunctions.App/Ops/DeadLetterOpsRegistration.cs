using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.App.Ops;

/// <summary>Registers the dead-letter operations behind the <c>/api/ops/dead-letters</c> functions.</summary>
public static class DeadLetterOpsRegistration
{
    /// <summary>App setting: replays a message may have had before replay needs force (default 3).</summary>
    public const string ReplayCapSetting = "RedisStreams:DeadLetterReplayCap";

    /// <summary>App setting: dead-letter retention (default 14 days); replay and discard outcomes are kept as long.</summary>
    public const string DeadLetterMaxAgeSetting = "RedisStreams:DeadLetterMaxAge";

    public static IServiceCollection AddDeadLetterOps(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeadLetterStoreOptions>().Configure(o =>
        {
            if (int.TryParse(configuration[ReplayCapSetting], NumberStyles.Integer, CultureInfo.InvariantCulture, out var cap))
                o.ReplayCap = cap;
            if (TimeSpan.TryParse(configuration[DeadLetterMaxAgeSetting], CultureInfo.InvariantCulture, out var maxAge))
                o.OutcomeRetention = maxAge;
        }).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeadLetterStoreOptions>, DeadLetterStoreOptionsValidator>();
        services.AddSingleton(provider => new DeadLetterStore(
            provider.GetRequiredService<IRedisConnectionFactory>(),
            provider.GetRequiredService<IOptions<DeadLetterStoreOptions>>().Value,
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DeadLetterStreams>();
        services.AddSingleton<DeadLetterActions>();
        return services;
    }
}
