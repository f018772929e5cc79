using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.LocalHost;

/// <summary>What one stream-triggered function runs with: its resolved engine options and its connection setting.
/// </summary>
internal sealed record StreamFunctionPlan(
    FunctionDescriptor Function, StreamSubscriberOptions Options, string ConnectionSetting, string? ConnectionValue)
{
    /// <summary>
    /// The plan of every enabled stream function, resolved before the host starts, so that bad engine options stop
    /// it with every problem of every function at once and nothing started (no "Hosting failed to start", no stack).
    /// </summary>
    /// <exception cref="InvalidOperationException">One line per problem, naming the function.</exception>
    public static IReadOnlyList<StreamFunctionPlan> ForAll(
        IEnumerable<FunctionDescriptor> streamFunctions, IConfiguration configuration, string consumer)
    {
        var resolver = StreamTriggers.Resolver(configuration);
        var plans = new List<StreamFunctionPlan>();
        var problems = new List<string>();
        foreach (var function in streamFunctions)
        {
            var resolved = resolver.Resolve(StreamTriggers.Declare(function), o => o.Consumer = consumer);
            problems.AddRange(resolved.Errors);
            plans.Add(new StreamFunctionPlan(
                function, resolved.Options, function.StreamTrigger!.Connection, resolved.ConnectionString));
        }
        // An app-wide setting is every function's problem: said once.
        return problems.Count == 0
            ? plans
            : throw new InvalidOperationException(
                string.Join(Environment.NewLine, problems.Distinct(StringComparer.Ordinal)));
    }
}
