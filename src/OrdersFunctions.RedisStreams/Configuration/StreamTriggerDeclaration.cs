namespace OrdersFunctions.RedisStreams.Configuration;

/// <summary>
/// A stream-triggered function's trigger as its code declares it, whatever the host: the values written on its
/// attribute, before any app setting is read. <see cref="StreamOptionsResolver"/> turns it into the
/// options it runs with.
/// </summary>
/// <param name="FunctionName">The function, for its per-function settings and for messages.</param>
/// <param name="Connection">The name of the app setting holding the Redis connection string.</param>
/// <param name="Key">The stream key, possibly with <c>%Setting%</c> references.</param>
/// <param name="ConsumerGroup">The consumer group, possibly with <c>%Setting%</c> references.</param>
/// <param name="OptionValues">Engine options set on the attribute (option name to text; unset ones left out).</param>
public sealed record StreamTriggerDeclaration(
    string FunctionName,
    string? Connection,
    string? Key,
    string? ConsumerGroup,
    IReadOnlyList<KeyValuePair<string, string?>> OptionValues)
{
    /// <summary>A declaration from a trigger attribute (the worker's or the host's): its engine options are its public
    /// properties named like one (<see cref="StreamSubscriberOptionsBinder.ExplicitValuesOf"/>).</summary>
    public static StreamTriggerDeclaration FromAttribute(
        string functionName, string? connection, string? key, string? consumerGroup, object attribute) =>
        new(functionName, connection, key, consumerGroup, StreamSubscriberOptionsBinder.ExplicitValuesOf(attribute));
}
