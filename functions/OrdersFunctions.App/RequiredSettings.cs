using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace OrdersFunctions.App;

/// <summary>
/// The app settings the app cannot run without. They have no defaults on purpose: the stream functions' triggers refer
/// to them as <c>%OrdersStream%</c>, <c>%NotificationsGroup%</c> and <c>%SpreadsheetsGroup%</c>, and the Functions host
/// resolves those when it indexes functions, before any app code runs; an unset one disables both stream functions
/// there while <c>PlaceOrder</c> would still accept orders. So the worker refuses to start instead, under every host,
/// naming each missing setting on its own line.
/// </summary>
public sealed class RequiredSettings(IConfiguration configuration) : IValidateOptions<OrdersOptions>
{
    /// <summary>Each required setting and an example value for the error message.</summary>
    public static readonly IReadOnlyList<(string Name, string Example)> All =
    [
        (OrdersAppStartup.RedisConnectionSetting, "127.0.0.1:6379"),
        ("OrdersStream", "orders-placed"),
        ("NotificationsGroup", "notifications"),
        ("SpreadsheetsGroup", "spreadsheets"),
    ];

    /// <summary>One message per required setting that is unset or blank.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration) =>
        All.Where(s => string.IsNullOrWhiteSpace(configuration[s.Name]))
            .Select(s => $"App setting '{s.Name}' is not set: add \"{s.Name}\": \"{s.Example}\" "
                + "to local.settings.json Values (Function App: its app settings).")
            .ToList();

    public ValidateOptionsResult Validate(string? name, OrdersOptions options) =>
        Problems(configuration) is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems)
            : ValidateOptionsResult.Success;
}
