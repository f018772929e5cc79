using OrdersFunctions.RedisStreams.Configuration;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;

namespace OrdersFunctions.LocalHost;

/// <summary>The command line: loads the app assembly, builds the host and runs it until Ctrl+C or SIGTERM.</summary>
public static class LocalHostProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? appPath = null, settings = null;
        int? port = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--app" when value is not null: appPath = value; i++; break;
                case "--settings" when value is not null: settings = value; i++; break;
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p)
                        && p is > 0 and < 65536:
                    port = p; i++; break;
                default:
                    await Console.Error.WriteLineAsync(
                        $"Unknown or incomplete argument '{args[i]}'. " +
                        "Usage: --app path/to/App.dll [--port 7071] [--settings local.settings.json]");
                    return 2;
            }
        }
        if (appPath is null || !File.Exists(appPath))
        {
            await Console.Error.WriteLineAsync(
                $"The app assembly '{appPath ?? "(none)"}' does not exist: " +
                "build the Functions app and pass its DLL with --app.");
            return 2;
        }

        try
        {
            var fullAppPath = Path.GetFullPath(appPath);
            // As Core Tools: --port, else Host.LocalHttpPort of local.settings.json, else 7071.
            var settingsFile = settings ?? LocalSettings.Find(
                Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Path.GetDirectoryName(fullAppPath) ?? ".");
            var httpPort = port
                ?? (settingsFile is null ? null : LocalHttpPort.Read(settingsFile))
                ?? LocalHostOptions.DefaultPort;
            // Before anything starts: a host that cannot listen must not register consumers in the groups.
            if (LocalHttpPort.IsInUse(httpPort))
            {
                await Console.Error.WriteLineAsync(
                    $"Port {httpPort} is in use: stop what uses it or run ./run.sh --port " +
                    $"{(httpPort == 65535 ? 7072 : httpPort + 1)}");
                return 1;
            }
            var app = LocalFunctionsHost.Build(new LocalHostOptions
            {
                AppAssembly = LoadApp(fullAppPath),
                Port = httpPort,
                SettingsFile = settings,
            });
            // Settings errors first, as one line each (below): the host's StartAsync would log them with a stack trace.
            app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
            try
            {
                await app.StartAsync();
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM while starting: the host cancels its start; that is a normal stop, not a crash.
                await app.DisposeAsync();
                return 0;
            }
            Console.WriteLine(
                $"Functions app running on http://127.0.0.1:{httpPort}/{HostJson.HttpRoutePrefix(app.Configuration)}" +
                " — Ctrl+C to stop.");
            await app.WaitForShutdownAsync();
            await app.DisposeAsync();
            return 0;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            // A configuration error: one line per problem, no stack trace (its Message joins them with "; ").
            foreach (var failure in ex.Failures)
                await Console.Error.WriteLineAsync(failure);
            return 1;
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or IOException)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 1;
        }
    }

    /// <summary>
    /// Loads the app into the default load context, so the types it shares with the host (FunctionContext, HttpRequest,
    /// the trigger attribute) are the host's; the app's other dependencies (e.g. MailKit) resolve from its deps.json.
    /// </summary>
    private static Assembly LoadApp(string path)
    {
        var resolver = new AssemblyDependencyResolver(path);
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            resolver.ResolveAssemblyToPath(name) is { } dependency ? context.LoadFromAssemblyPath(dependency) : null;
        return AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
    }
}
