using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Hosting;
using OrdersFunctions.RedisStreams.WebJobs;

[assembly: WebJobsStartup(typeof(RedisStreamsWebJobsStartup))]

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>Registers the Redis Streams trigger with the Functions host (which finds this through the assembly
/// attribute).</summary>
public sealed class RedisStreamsWebJobsStartup : IWebJobsStartup
{
    public void Configure(IWebJobsBuilder builder) => builder.AddRedisStreams();
}
