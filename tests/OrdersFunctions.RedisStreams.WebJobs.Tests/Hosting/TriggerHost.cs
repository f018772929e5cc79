using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests.Hosting;

/// <summary>
/// A real WebJobs SDK JobHost (the engine of the Functions host) with the Redis Streams extension registered the way
/// the Functions host registers it (<c>AddRedisStreams</c>), running exactly the function instances a test hands it.
/// </summary>
public sealed class TriggerHost : IAsyncDisposable
{
    private readonly IHost _host;
    private int _stopped;

    private TriggerHost(IHost host, LogCapture logs)
    {
        _host = host;
        Logs = logs;
    }

    /// <summary>Every log line the host and extension wrote.</summary>
    public LogCapture Logs { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>Builds the host without starting it (for indexing-only tests such as metadata).</summary>
    public static TriggerHost Build(IReadOnlyDictionary<string, string?> settings, params object[] functions)
    {
        var logs = new LogCapture();
        var host = new HostBuilder()
            .ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings))
            .ConfigureWebJobs(webJobs => webJobs.AddRedisStreams())
            .ConfigureLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug))
            .ConfigureServices(services =>
            {
                services.AddSingleton<ITypeLocator>(new FixedTypeLocator(functions.Select(f => f.GetType()).ToArray()));
                services.AddSingleton<IJobActivator>(new InstanceJobActivator(functions));
            })
            .Build();
        return new TriggerHost(host, logs);
    }

    /// <summary>Builds and starts the host; returns once every listener is reading.</summary>
    public static async Task<TriggerHost> StartAsync(
        IReadOnlyDictionary<string, string?> settings, params object[] functions)
    {
        var host = Build(settings, functions);
        try
        {
            await host._host.StartAsync();
        }
        catch
        {
            host._host.Dispose();
            throw;
        }
        return host;
    }

    /// <summary>Stops the host as the Functions host does on shutdown: listeners stop and drain.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
            await _host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }

    private sealed class FixedTypeLocator(IReadOnlyList<Type> types) : ITypeLocator
    {
        public IReadOnlyList<Type> GetTypes() => types;
    }

    private sealed class InstanceJobActivator(object[] instances) : IJobActivator
    {
        public T CreateInstance<T>() => instances.OfType<T>().First();
    }
}
