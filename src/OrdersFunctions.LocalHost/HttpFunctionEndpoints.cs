using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// Maps each HTTP-triggered function to <c>/{routePrefix}/{route}</c> (<see cref="HostJson.HttpRoutePrefix"/>; route
/// defaulting to the function name) with its methods,
/// enforces its authorization level, binds its parameters (<see cref="HttpRequest"/>, <see cref="HttpContext"/>,
/// <see cref="FunctionContext"/>, <see cref="CancellationToken"/>, route values by name) and writes its result
/// (<see cref="IActionResult"/>, <see cref="IResult"/>, any other object as JSON, nothing for void).
/// </summary>
internal static partial class HttpFunctionEndpoints
{
    public static void Map(
        WebApplication app, FunctionDescriptor function, string routePrefix, FunctionKeyCheck keys, ILogger logger)
    {
        var trigger = function.HttpTrigger!;
        var pattern = Pattern(routePrefix, trigger.Route ?? function.Name);
        var needsKey = trigger.AuthLevel != AuthorizationLevel.Anonymous;
        var invoker = new FunctionInvoker(function);
        var parameters = function.Method.GetParameters();
        ThrowIfUnbindable(function, parameters);
        var definition = LocalFunctionContext.Define(function);
        // MVC result executors only read the action descriptor; one per endpoint saves building one (and its GUID id)
        // per request.
        var actionDescriptor = new ActionDescriptor { DisplayName = function.Name };

        async Task Handle(HttpContext http)
        {
            if (needsKey && !keys.IsAuthorized(http.Request, trigger.AuthLevel))
            {
                // As the Functions host answers: 401 and no body. What to send instead is in the log, not the answer.
                LogUnauthorized(logger, function.Name, FunctionKeyCheck.Requirement(trigger.AuthLevel));
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                http.Response.ContentLength = 0;
                return;
            }

            var context = new LocalFunctionContext(
                definition, http.RequestServices, () => BindingData(http), http.RequestAborted);
            var arguments = new object?[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
                arguments[i] = Bind(parameters[i], http, context);
            var result = await invoker.InvokeAsync(http.RequestServices, arguments);
            await WriteResultAsync(http, result, actionDescriptor);
        }

        var methods = trigger.Methods is { Length: > 0 } m ? m.Select(x => x.ToUpperInvariant()).ToArray() : null;
        var endpoint = methods is null ? app.Map(pattern, Handle) : app.MapMethods(pattern, methods, Handle);
        endpoint.WithDisplayName(function.Name);
        if (methods is not null)
            MapOtherMethodsAsNotFound(app, pattern);
        logger.LogInformation("{Function}: [{Methods}] {Pattern} ({AuthLevel})",
            function.Name, methods is null ? "ANY" : string.Join(",", methods), pattern, trigger.AuthLevel);
    }

    /// <summary>
    /// The Functions host answers a method the route does not declare with 404 and no body; ASP.NET Core would answer
    /// 405 with <c>Allow</c>. An any-method endpoint on the same route, ordered after every function's endpoint, takes
    /// the requests no declared method matches (one per route, so two functions sharing a route do not make it
    /// ambiguous).
    /// </summary>
    private static void MapOtherMethodsAsNotFound(WebApplication app, string pattern)
    {
        var properties = ((IApplicationBuilder)app).Properties;
        if (!properties.TryGetValue(NotFoundRoutesKey, out var value) || value is not HashSet<string> mapped)
            properties[NotFoundRoutesKey] = mapped = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (!mapped.Add(pattern))
            return;
        app.Map(pattern, (HttpContext http) =>
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                http.Response.ContentLength = 0;
                return Task.CompletedTask;
            })
            .WithOrder(int.MaxValue)
            .WithDisplayName($"{pattern} (method not declared: 404)");
    }

    private const string NotFoundRoutesKey = "OrdersFunctions.LocalHost.NotFoundRoutes";

    [LoggerMessage(Level = LogLevel.Information, Message = "401 for {Function}: {Requirement}")]
    private static partial void LogUnauthorized(ILogger logger, string function, string requirement);

    /// <summary>The route template for a function: the prefix (<see cref="HostJson.HttpRoutePrefix"/>, none when
    /// empty) and the function's route.</summary>
    private static string Pattern(string routePrefix, string route)
    {
        var path = route.Trim('/');
        return routePrefix.Length == 0 ? $"/{path}" : $"/{routePrefix}/{path}";
    }

    private static IReadOnlyDictionary<string, object?> BindingData(HttpContext http)
    {
        var data = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in http.Request.RouteValues)
            data[name] = value?.ToString();
        foreach (var (name, value) in http.Request.Query)
            data.TryAdd(name, value.ToString());
        return data;
    }

    private static void ThrowIfUnbindable(
        FunctionDescriptor function, IEnumerable<System.Reflection.ParameterInfo> parameters)
    {
        foreach (var p in parameters)
        {
            var type = p.ParameterType;
            if (type == typeof(HttpRequest) || type == typeof(HttpContext) || type == typeof(FunctionContext)
                || type == typeof(CancellationToken)
                || type == typeof(string) || TypeConverters.CanConvertFromString(type))
                continue;
            throw new InvalidOperationException(
                $"Function '{function.Name}': parameter '{p.Name}' of type {type.Name} cannot be bound by the local " +
                "host. HTTP functions take HttpRequest, HttpContext, FunctionContext, CancellationToken and route " +
                "values by name (the ASP.NET Core integration model).");
        }
    }

    private static object? Bind(System.Reflection.ParameterInfo parameter, HttpContext http, FunctionContext context)
    {
        var type = parameter.ParameterType;
        if (type == typeof(HttpRequest)) return http.Request;
        if (type == typeof(HttpContext)) return http;
        if (type == typeof(FunctionContext)) return context;
        if (type == typeof(CancellationToken)) return http.RequestAborted;
        var raw = http.Request.RouteValues.TryGetValue(parameter.Name!, out var routeValue) ? routeValue?.ToString()
            : http.Request.Query.TryGetValue(parameter.Name!, out var queryValue) ? queryValue.ToString()
            : null;
        return raw is null
            ? (parameter.HasDefaultValue ? parameter.DefaultValue : null)
            : TypeConverters.FromString(raw, type);
    }

    private static async Task WriteResultAsync(HttpContext http, object? result, ActionDescriptor actionDescriptor)
    {
        switch (result)
        {
            case null:
                return; // the function wrote the response itself, or it is an empty 200
            case IActionResult actionResult:
                await actionResult.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), actionDescriptor));
                return;
            case IResult httpResult:
                await httpResult.ExecuteAsync(http);
                return;
            default:
                await http.Response.WriteAsJsonAsync(result, result.GetType(), http.RequestAborted);
                return;
        }
    }
}
