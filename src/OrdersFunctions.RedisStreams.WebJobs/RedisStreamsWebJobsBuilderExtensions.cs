using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrdersFunctions.RedisStreams.WebJobs;

public static class RedisStreamsWebJobsBuilderExtensions
{
    /// <summary>Adds the Redis Streams trigger to a WebJobs host.</summary>
    public static IWebJobsBuilder AddRedisStreams(this IWebJobsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // One factory per connection string for the whole host; the container disposes it (and its connections).
        builder.Services.TryAddSingleton<RedisConnectionFactoryCache>();
        builder.AddExtension<RedisStreamsExtensionConfigProvider>();
        return builder;
    }
}
