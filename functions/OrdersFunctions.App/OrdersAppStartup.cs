using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrdersFunctions.App.Notifications;
using OrdersFunctions.App.Ops;
using OrdersFunctions.App.Orders;
using OrdersFunctions.App.Spreadsheet;
using OrdersFunctions.RedisStreams;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.App;

/// <summary>
/// The app's service registration, shared by the Functions worker (Program.cs) and the local host
/// (src/OrdersFunctions.LocalHost finds a public static <c>ConfigureFunctionsApp(IServiceCollection,
/// IConfiguration)</c> in the app assembly and calls it).
/// </summary>
public static class OrdersAppStartup
{
    /// <summary>The app setting naming the Redis connection string (the triggers' <c>Connection</c>).</summary>
    public const string RedisConnectionSetting = "RedisConnection";

    public static void ConfigureFunctionsApp(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OrdersOptions>().Configure(o =>
        {
            // Required, no defaults: see RequiredSettings, which refuses to start without them.
            o.Stream = configuration["OrdersStream"]?.Trim() ?? "";
            o.NotificationsGroup = configuration["NotificationsGroup"]?.Trim() ?? "";
            o.SpreadsheetsGroup = configuration["SpreadsheetsGroup"]?.Trim() ?? "";
        })
        // The app's keys carry the stream's hash tag (OrderKeys); a name that cannot have one fails here, at start,
        // rather than on every request.
        .Validate(o => StreamKeys.HasSlotPrefix(o.Stream),
            "The app setting OrdersStream contains '}' but no hash tag, so no key can share its Redis Cluster slot: "
            + "rename the stream, e.g. 'orders-placed' or '{orders}-placed'.")
        .ValidateOnStart();
        services.AddSingleton<IValidateOptions<OrdersOptions>>(new RequiredSettings(configuration));
        // Relative data paths resolve the same way under every host (DataPaths), not against the working directory.
        var dataRoot = DataPaths.Root(configuration, Directory.GetCurrentDirectory());
        // Bound at start, so a value that does not parse (Notifications__Smtp__Port=abc) stops the start in one line
        // instead of failing every notification.
        services.AddOptions<SpreadsheetOptions>().Bind(configuration.GetSection(SpreadsheetOptions.SectionName))
            .PostConfigure(o => o.CsvPath = DataPaths.Resolve(o.CsvPath, dataRoot)).ValidateOnStart();
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.SectionName))
            .PostConfigure(o => o.OutboxPath = DataPaths.Resolve(o.OutboxPath, dataRoot)).ValidateOnStart();

        // The engine's shared connection factory, publisher and group inspector. A value that cannot be a connection
        // (an unresolved Key Vault reference, not connection-string syntax) does not stop the app: it is named in the
        // 503 answers, /api/health and the logs, where it can be seen and fixed. Unset, it stops the start
        // (RequiredSettings). The connection opens at start (RedisWarmup), so the first request finds its state known.
        services.AddRedisStreams(options =>
        {
            options.ConnectionString = configuration[RedisConnectionSetting] ?? "";
            options.ConnectionSettingName = RedisConnectionSetting;
        });
        services.AddSingleton<RedisGate>();
        services.AddHostedService<RedisWarmup>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OrderIntake>();
        services.AddSingleton<OrderStatusReader>();
        services.AddDeadLetterOps(configuration);

        services.AddOrdersOperations(configuration);

        services.AddSingleton<ISpreadsheetSink, CsvSpreadsheetSink>();
        if (string.IsNullOrWhiteSpace(configuration[$"{NotificationOptions.SectionName}:Smtp:Host"]))
            services.AddSingleton<IOrderNotifier, OutboxOrderNotifier>();
        else
            services.AddSingleton<IOrderNotifier, SmtpOrderNotifier>();
    }
}
