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
        var plans = new List<StreamFunctionPlan>();
        var problems = new List<string>();
        foreach (var function in streamFunctions)
        {
            var setting = function.StreamTrigger!.Connection;
            try
            {
                var options = StreamTriggerOptionsResolver.Resolve(
                    function.Name, function.StreamTrigger!, configuration, consumer);
                var value = configuration[LocalSettings.ToConfigurationKey(setting)]
                    ?? configuration.GetConnectionString(setting);
                plans.Add(new StreamFunctionPlan(function, options, setting, value));
            }
            catch (InvalidOperationException ex)
            {
                problems.AddRange(ex.Message.Split(Environment.NewLine));
            }
        }
        // An app-wide setting is every function's problem: said once.
        return problems.Count == 0
            ? plans
            : throw new InvalidOperationException(
                string.Join(Environment.NewLine, problems.Distinct(StringComparer.Ordinal)));
    }
}
