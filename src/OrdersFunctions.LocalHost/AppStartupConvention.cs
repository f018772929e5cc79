using System.Reflection;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// How an app hands its service registrations to the local host without referencing it: a public static method
/// <c>ConfigureFunctionsApp(IServiceCollection services, IConfiguration configuration)</c> on a public class of the app
/// assembly. The app's own Program.cs calls the same method, so both hosts run the same registrations.
/// </summary>
public static class AppStartupConvention
{
    public const string MethodName = "ConfigureFunctionsApp";

    /// <summary>Calls the app's method; an app without one gets no services (its functions need none).</summary>
    /// <exception cref="InvalidOperationException">More than one class declares the method.</exception>
    public static void Apply(Assembly appAssembly, IServiceCollection services, IConfiguration configuration)
    {
        var methods = appAssembly.GetExportedTypes()
            .Select(t => t.GetMethod(
                MethodName,
                BindingFlags.Public | BindingFlags.Static,
                [typeof(IServiceCollection), typeof(IConfiguration)]))
            .OfType<MethodInfo>()
            .ToList();
        if (methods.Count > 1)
            throw new InvalidOperationException(
                $"{appAssembly.GetName().Name} declares {MethodName}(IServiceCollection, IConfiguration) on " +
                $"{string.Join(", ", methods.Select(m => m.DeclaringType!.FullName))}: keep exactly one.");
        methods.SingleOrDefault()?.Invoke(null, [services, configuration]);
    }
}
