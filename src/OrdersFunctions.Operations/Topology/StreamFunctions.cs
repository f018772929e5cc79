using System.Reflection;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Worker;

namespace OrdersFunctions.Operations.Topology;

/// <summary>
/// The stream-triggered functions an app assembly declares: each <c>[Function]</c> method with a parameter marked
/// <see cref="RedisConsumerGroupTriggerAttribute"/>, read as the Worker SDK's metadata generator reads them, so the
/// operator surface knows the app's streams and groups from its code, not from a second list of settings.
/// </summary>
public static class StreamFunctions
{
    // The Worker's [Function] attribute, matched by name: the operator surface needs its name only, not the Worker.
    private const string FunctionAttribute = "Microsoft.Azure.Functions.Worker.FunctionAttribute";

    /// <summary>The declarations of every stream-triggered function in <paramref name="appAssembly"/>, by function
    /// name.</summary>
    public static IReadOnlyList<StreamTriggerDeclaration> In(Assembly appAssembly)
    {
        ArgumentNullException.ThrowIfNull(appAssembly);
        var declarations = new List<StreamTriggerDeclaration>();
        foreach (var method in appAssembly.GetExportedTypes().Where(t => t.IsClass)
                     .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static
                         | BindingFlags.DeclaredOnly)))
        {
            var function = method.GetCustomAttributes().FirstOrDefault(a => a.GetType().FullName == FunctionAttribute);
            var trigger = method.GetParameters()
                .Select(p => p.GetCustomAttribute<RedisConsumerGroupTriggerAttribute>())
                .FirstOrDefault(a => a is not null);
            if (function is null || trigger is null)
                continue;
            var name = function.GetType().GetProperty("Name")?.GetValue(function) as string ?? method.Name;
            declarations.Add(StreamTriggerDeclaration.FromAttribute(
                name, trigger.Connection, trigger.Key, trigger.ConsumerGroup, trigger));
        }
        return declarations.OrderBy(d => d.FunctionName, StringComparer.Ordinal).ToList();
    }
}
