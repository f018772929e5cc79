using Microsoft.Extensions.Logging;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OrdersFunctions.Operations.Health;
using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;

namespace OrdersFunctions.App.Ops;

/// <summary>Registers the operations surface: the overview reader, the health check, and metrics export.</summary>
public static class OpsServiceCollectionExtensions
{
    /// <summary>OTLP export is on when this setting (the OpenTelemetry standard variable) is set.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Azure Monitor export is on when this setting is set.</summary>
    public const string AppInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Adds <see cref="StreamOverviewReader"/>, <see cref="OpsTopology"/>, the shared
    /// <see cref="OverviewSnapshots"/>, <see cref="HealthCheck"/> and, when
    /// an exporter is configured, the OpenTelemetry SDK with the engine's meter and the gauges' monitor.</summary>
    public static IServiceCollection AddOrdersOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(provider =>
            new StreamOverviewReader(provider.GetRequiredService<IRedisConnectionFactory>()));
        // The app's stream functions, as its code declares them, resolved as their triggers resolve them.
        services.AddSingleton(_ =>
            OpsTopology.Resolve(StreamFunctions.In(typeof(OrdersAppStartup).Assembly), configuration));
        // One overview snapshot per process and interval, shared by the API, the page, health and the gauges: ten open
        // ops pages cost Redis one read every two seconds, not ten.
        services.AddSingleton(provider =>
        {
            var topology = provider.GetRequiredService<OpsTopology>();
            return new OverviewSnapshots(provider.GetRequiredService<StreamOverviewReader>(),
                topology.Streams.Select(s => topology.OverviewRequest(s.Name)), null,
                provider.GetRequiredService<ILoggerFactory>().CreateLogger<OverviewSnapshots>(),
                provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(provider => new StreamHealthProbe(provider.GetRequiredService<IRedisConnectionFactory>(),
            provider.GetRequiredService<OverviewSnapshots>()));
        services.AddSingleton<HealthCheck>();
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.SectionName))
            .ValidateOnStart();

        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);
        var azureMonitor = configuration[AppInsightsSetting] is { Length: > 0 } connectionString
            ? connectionString
            : null;
        if (!otlp && azureMonitor is null)
            return services; // Nothing to export to: no SDK, no background refresh.

        services.AddHostedService<OverviewMonitorService>();
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(StreamsTelemetry.Name);
            // The OTLP exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS, _PROTOCOL) itself.
            if (otlp)
                metrics.AddOtlpExporter();
            if (azureMonitor is not null)
                metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = azureMonitor);
        });
        return services;
    }
}
