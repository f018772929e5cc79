using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.RedisStreams.Worker;

namespace OrdersFunctions.LocalHost;

/// <summary>Finds the <c>[Function]</c> methods of an app assembly and their triggers, as the Worker SDK's
/// metadata generator does.</summary>
public static class FunctionDiscovery
{
    /// <exception cref="InvalidOperationException">A function has no trigger we can run, or two share a name
    /// (every problem is listed).</exception>
    public static IReadOnlyList<FunctionDescriptor> Discover(Assembly appAssembly)
    {
        var functions = new List<FunctionDescriptor>();
        var errors = new List<string>();
        foreach (var type in appAssembly.GetExportedTypes().Where(t => t.IsClass))
        {
            foreach (var method in type.GetMethods(
                BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var function = method.GetCustomAttribute<FunctionAttribute>();
                if (function is null)
                    continue;
                var triggers = method.GetParameters()
                    .Where(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null
                        || p.GetCustomAttribute<RedisConsumerGroupTriggerAttribute>() is not null)
                    .ToList();
                if (triggers.Count != 1)
                {
                    errors.Add(
                        $"Function '{function.Name}' ({type.FullName}.{method.Name}) has {triggers.Count} triggers " +
                        "the local host can run: it runs HttpTrigger and RedisConsumerGroupTrigger functions " +
                        "with exactly one trigger.");
                    continue;
                }
                functions.Add(new FunctionDescriptor(function.Name, method, triggers[0]));
            }
        }
        foreach (var duplicate in functions
            .GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1))
            errors.Add(
                $"Function name '{duplicate.Key}' is used by {duplicate.Count()} methods: " +
                "function names must be unique.");
        if (errors.Count > 0)
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        return functions;
    }
}
