using Microsoft.Azure.WebJobs.Description;
using Microsoft.Azure.WebJobs.Host.Config;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>Adds the binding rule for <see cref="RedisStreamTriggerAttribute"/>.</summary>
[Extension("RedisStreams", configurationSection: "RedisStreams")]
public sealed class RedisStreamsExtensionConfigProvider : IExtensionConfigProvider
{
    public void Initialize(ExtensionConfigContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Skeleton: the trigger binding provider is added by the trigger work (issue 3).
        context.AddBindingRule<RedisStreamTriggerAttribute>();
    }
}
