using Microsoft.Azure.WebJobs;

namespace OrdersFunctions.RedisStreams.WebJobs;

public static class RedisStreamsWebJobsBuilderExtensions
{
    /// <summary>Adds the Redis Streams trigger to a WebJobs host.</summary>
    public static IWebJobsBuilder AddRedisStreams(this IWebJobsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddExtension<RedisStreamsExtensionConfigProvider>();
        return builder;
    }
}
