using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;

namespace OrdersFunctions.App.Tests.OpenApi;

/// <summary>The (method, path) pairs the app's HTTP functions declare, found by reflection over its
/// <c>[Function]</c> methods and their <c>[HttpTrigger]</c> parameters, as the Functions host indexes them.</summary>
public static partial class AppHttpRoutes
{
    public static IReadOnlySet<(string Method, string Path)> Discover(Assembly app, string routePrefix)
    {
        var routes = new HashSet<(string, string)>();
        foreach (var method in app.GetExportedTypes().SelectMany(t => t.GetMethods(
            BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)))
        {
            var function = method.GetCustomAttribute<FunctionAttribute>();
            var trigger = method.GetParameters()
                .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>())
                .SingleOrDefault(t => t is not null);
            if (function is null || trigger is null)
                continue;
            if (trigger.Methods is not { Length: > 0 })
                throw new InvalidOperationException(
                    $"Function '{function.Name}' declares no HTTP methods, so it answers every method: "
                    + "declare them on its HttpTrigger so that the API can be documented.");
            // {id:int} and {id?} are {id} in an OpenAPI path.
            var route = RouteParameter()
                .Replace(trigger.Route ?? function.Name, m => "{" + m.Groups[1].Value + "}")
                .Trim('/');
            var path = routePrefix.Length == 0 ? $"/{route}" : $"/{routePrefix}/{route}";
            foreach (var verb in trigger.Methods)
                routes.Add((verb.ToUpperInvariant(), path));
        }
        return routes;
    }

    [GeneratedRegex(@"\{\*?([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
