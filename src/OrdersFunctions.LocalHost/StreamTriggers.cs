using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.LocalHost;

/// <summary>The local host's side of the engine's <see cref="StreamOptionsResolver"/>: app settings as configuration
/// keys (<c>A__B</c> as <c>A:B</c>), connection strings also from <c>ConnectionStrings</c>, as Core Tools reads
/// them.</summary>
public static class StreamTriggers
{
    public static StreamOptionsResolver Resolver(IConfiguration configuration) =>
        new(configuration, name =>
            configuration[LocalSettings.ToConfigurationKey(name)] ?? configuration.GetConnectionString(name));

    /// <summary>The trigger of a stream-triggered function, as its attribute declares it.</summary>
    public static StreamTriggerDeclaration Declare(FunctionDescriptor function)
    {
        var trigger = function.StreamTrigger
            ?? throw new ArgumentException($"Function '{function.Name}' is not stream-triggered.", nameof(function));
        return StreamTriggerDeclaration.FromAttribute(
            function.Name, trigger.Connection, trigger.Key, trigger.ConsumerGroup, trigger);
    }
}
