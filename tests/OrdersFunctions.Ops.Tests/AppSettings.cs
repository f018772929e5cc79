namespace OrdersFunctions.Ops.Tests;

/// <summary>The app's settings for one test: its Redis, its stream read by the app's two groups, and any extra settings
/// (names as in local.settings.json).</summary>
internal static class AppSettings
{
    public static OpsSettings For(
        string redis, string stream, string notificationsGroup, params (string Name, string Value)[] extra)
    {
        var values = new Dictionary<string, string?>
        {
            ["RedisConnection"] = redis,
            ["OrdersStream"] = stream,
            ["NotificationsGroup"] = notificationsGroup,
            ["SpreadsheetsGroup"] = notificationsGroup + "-spreadsheets",
        };
        foreach (var (name, value) in extra)
            values[name] = value;
        return OpsSettings.From(values);
    }
}
