using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Description;
using Microsoft.Azure.WebJobs.Host.Config;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>Adds the binding rule for <see cref="RedisConsumerGroupTriggerAttribute"/> and binds it to the
/// trigger.</summary>
/// <remarks>The host looks for <c>[Binding]</c> attributes only in this class's assembly, so the attribute must stay
/// here. The extension's host.json section is <c>extensions:redisStreams</c>.</remarks>
[Extension("RedisStreams", configurationSection: "RedisStreams")]
public sealed class RedisStreamsExtensionConfigProvider : IExtensionConfigProvider
{
    private readonly IConfiguration _configuration;
    private readonly INameResolver _nameResolver;
    private readonly RedisConnectionFactoryCache _connections;
    private readonly ILoggerFactory _loggerFactory;

    public RedisStreamsExtensionConfigProvider(
        IConfiguration configuration,
        INameResolver nameResolver,
        RedisConnectionFactoryCache connections,
        ILoggerFactory loggerFactory)
    {
        _configuration = configuration;
        _nameResolver = nameResolver;
        _connections = connections;
        _loggerFactory = loggerFactory;
    }

    public void Initialize(ExtensionConfigContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var triggerProvider = new RedisConsumerGroupTriggerBindingProvider(
            _configuration, _nameResolver, _connections, _loggerFactory);
        context.AddBindingRule<RedisConsumerGroupTriggerAttribute>().BindToTrigger(triggerProvider);
    }
}
