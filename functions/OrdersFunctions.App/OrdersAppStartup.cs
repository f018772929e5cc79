using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrdersFunctions.App.Notifications;
using OrdersFunctions.App.Ops;
using OrdersFunctions.App.Orders;
using OrdersFunctions.App.Spreadsheet;
using OrdersFunctions.RedisStreams;

namespace OrdersFunctions.App;

/// <summary>
/// The app's service registration, shared by the Functions worker (Program.cs) and the local host
/// (src/OrdersFunctions.LocalHost finds a public static <c>ConfigureFunctionsApp(IServiceCollection, IConfiguration)</c>
/// in the app assembly and calls it).
/// </summary>
public static class OrdersAppStartup
{
    /// <summary>The app setting naming the Redis connection string (the triggers' <c>Connection</c>).</summary>
    public const string RedisConnectionSetting = "RedisConnection";

    public static void ConfigureFunctionsApp(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OrdersOptions>().Configure(o =>
        {
            o.Stream = NonEmpty(configuration["OrdersStream"], OrdersOptions.DefaultStream);
            o.NotificationsGroup = NonEmpty(configuration["NotificationsGroup"], OrdersOptions.DefaultNotificationsGroup);
            o.SpreadsheetsGroup = NonEmpty(configuration["SpreadsheetsGroup"], OrdersOptions.DefaultSpreadsheetsGroup);
        })
        // The app's keys carry the stream's hash tag (OrderKeys); a name that cannot have one fails here, at start,
        // rather than on every request.
        .Validate(o => StreamKeys.HasSlotPrefix(o.Stream),
            "The app setting OrdersStream contains '}' but no hash tag, so no key can share its Redis Cluster slot: rename the stream, e.g. 'orders-placed' or '{orders}-placed'.")
        .ValidateOnStart();
        services.AddOptions<SpreadsheetOptions>().Bind(configuration.GetSection(SpreadsheetOptions.SectionName));
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.SectionName));

        // The engine's shared connection factory, publisher and group inspector; the connection string is validated
        // when the host starts.
        services.AddRedisStreams(options => options.ConnectionString = configuration[RedisConnectionSetting] ?? "");
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OrderIntake>();
        services.AddSingleton<OrderStatusReader>();

        services.AddOrdersOperations(configuration);

        services.AddSingleton<ISpreadsheetSink, CsvSpreadsheetSink>();
        if (string.IsNullOrWhiteSpace(configuration[$"{NotificationOptions.SectionName}:Smtp:Host"]))
            services.AddSingleton<IOrderNotifier, OutboxOrderNotifier>();
        else
            services.AddSingleton<IOrderNotifier, SmtpOrderNotifier>();
    }

    private static string NonEmpty(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value;
}
