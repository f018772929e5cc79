using OrdersFunctions.RedisStreams.Configuration;
using System.Net;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// Builds a web application that runs a Functions app's functions: HTTP-triggered ones on Kestrel (127.0.0.1 only),
/// stream-triggered ones through engine subscribers. Settings: host.json's <c>extensions</c>, then
/// <c>local.settings.json</c> Values, then environment variables, then <see cref="LocalHostOptions.Settings"/>. Each
/// host is one instance of the app: several hosts against one Redis (other processes, or other ports in one process)
/// consume as distinct consumers of each group.
/// </summary>
public static partial class LocalFunctionsHost
{
    /// <exception cref="InvalidOperationException">The app's functions or settings are invalid (the message says which
    /// and what to do).</exception>
    public static WebApplication Build(LocalHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = options.AppAssembly.GetName().Name,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        var settingsFile = ConfigureSettings(builder.Configuration, options);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // One line per event, with the time, as the Functions host's console shows it.
        builder.Logging.AddSimpleConsole(console =>
        {
            console.TimestampFormat = "HH:mm:ss.fff ";
            console.SingleLine = true;
        });
        builder.Services.AddMvcCore(); // IActionResult execution: ObjectResult with JSON and problem-details formatting

        var configuration = builder.Configuration;
        var functions = FunctionDiscovery.Discover(options.AppAssembly)
            .Where(f => !IsDisabled(configuration, f.Name))
            .ToList();
        var keys = new FunctionKeyCheck(
            configuration[FunctionKeyCheck.SettingName], configuration[FunctionKeyCheck.MasterKeySettingName]);
        AppStartupConvention.Apply(options.AppAssembly, builder.Services, configuration);

        var streamFunctions = functions.Where(f => f.StreamTrigger is not null).ToList();
        SettingsPreflight.ThrowIfMissing(streamFunctions, configuration);
        // Distinct per host even within one process (tests run two), stable for the host's life and across restarts.
        var consumerName = HostConsumerName.ForNewHost();
        IReadOnlyList<StreamFunctionPlan> plans;
        try
        {
            plans = StreamFunctionPlan.ForAll(streamFunctions, configuration, consumerName.Name);
        }
        catch
        {
            consumerName.Slot?.Dispose();
            throw;
        }
        builder.Services.AddSingleton<IHostedService>(sp => new StreamFunctionsService(
            plans, sp, sp.GetRequiredService<ILoggerFactory>()));

        var app = builder.Build();
        if (consumerName.Slot is { } slot)
            app.Lifetime.ApplicationStopped.Register(slot.Dispose);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrdersFunctions.LocalHost");
        LogSettings(logger, settingsFile ?? "(none found)", functions.Count);
        var routePrefix = HostJson.HttpRoutePrefix(configuration);
        foreach (var function in functions.Where(f => f.HttpTrigger is not null))
            HttpFunctionEndpoints.Map(app, function, routePrefix, keys, logger);
        if (!keys.IsConfigured && functions.Any(f =>
                f.HttpTrigger is { AuthLevel: not Microsoft.Azure.Functions.Worker.AuthorizationLevel.Anonymous }))
            LogOpen(logger, FunctionKeyCheck.SettingName.Replace(":", "__", StringComparison.Ordinal));
        return app;
    }

    private static string? ConfigureSettings(ConfigurationManager configuration, LocalHostOptions options)
    {
        // Only our sources: the defaults (appsettings.json, ASPNETCORE_ variables) are not how Functions apps are set.
        configuration.Sources.Clear();
        // host.json first: as under the Functions host, app settings and environment variables override it.
        var hostJson = options.HostJsonFile ?? HostJson.Find(
            Path.GetDirectoryName(options.AppAssembly.Location) ?? ".", Directory.GetCurrentDirectory());
        if (hostJson is not null)
            configuration.AddInMemoryCollection(HostJson.ReadExtensionSettings(hostJson));
        var file = options.SettingsFile ?? LocalSettings.Find(Directory.GetCurrentDirectory(), AppContext.BaseDirectory,
            Path.GetDirectoryName(options.AppAssembly.Location) ?? ".");
        if (file is not null)
            configuration.AddInMemoryCollection(LocalSettings.ReadValues(file));
        if (options.UseEnvironmentVariables)
            configuration.AddEnvironmentVariables();
        configuration.AddInMemoryCollection(
            options.Settings.ToDictionary(kv => LocalSettings.ToConfigurationKey(kv.Key), kv => kv.Value));
        return file;
    }

    /// <summary>The Functions setting that disables a function: <c>AzureWebJobs.{Name}.Disabled</c> (or
    /// <c>AzureWebJobs__{Name}__Disabled</c> as an environment variable).</summary>
    private static bool IsDisabled(IConfiguration configuration, string name) =>
        (configuration[$"AzureWebJobs.{name}.Disabled"] ?? configuration[$"AzureWebJobs:{name}:Disabled"]) is { } value
        && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Settings from {SettingsFile} and the environment; {FunctionCount} functions enabled")]
    private static partial void LogSettings(ILogger logger, string settingsFile, int functionCount);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No function key configured ({KeySetting}): Function-level HTTP routes are open to anyone who can " +
            "reach this port. Set {KeySetting} to require the x-functions-key header or ?code=.")]
    private static partial void LogOpen(ILogger logger, string keySetting);
}
