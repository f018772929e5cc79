namespace OrdersFunctions.Bench.Scale;

/// <summary>One run of the load against the app.</summary>
/// <param name="Name">Its name in the CSV, the chart and the summary.</param>
/// <param name="FixedInstances">A fixed instance count (no controller), or null for a controller-driven run.</param>
/// <param name="ScaleSettings">Settings for the scalers only (as host.json would carry them), e.g. a threshold.</param>
/// <param name="KillMidSurge">SIGKILL one instance halfway through the surge.</param>
public sealed record Scenario(
    string Name,
    int? FixedInstances,
    IReadOnlyDictionary<string, string?> ScaleSettings,
    bool KillMidSurge)
{
    public bool IsDynamic => FixedInstances is null;

    /// <summary>The named scenarios: <c>fixed-1</c>, <c>fixed-max</c>, <c>backlog-rule</c> (the previous target,
    /// backlog ÷ (MaxConcurrency × 8), set per function through the threshold setting), <c>drain-rule</c> (the
    /// default) and <c>drain-rule-sigkill</c>.</summary>
    public static Scenario Named(string name, SimulationOptions options) => name switch
    {
        "fixed-1" => new(name, 1, NoSettings, false),
        "fixed-max" => new(name, options.Rules.MaxInstances, NoSettings, false),
        "backlog-rule" => new(name, null, BacklogRule(options), false),
        "drain-rule" => new(name, null, NoSettings, false),
        "drain-rule-sigkill" => new(name, null, NoSettings, true),
        _ => throw new ArgumentException(
            $"Unknown scenario '{name}': use fixed-1, fixed-max, backlog-rule, drain-rule or drain-rule-sigkill."),
    };

    private static readonly IReadOnlyDictionary<string, string?> NoSettings = new Dictionary<string, string?>();

    /// <summary>The rule the extension had before: a threshold of MaxConcurrency × 8 per function.</summary>
    private static Dictionary<string, string?> BacklogRule(SimulationOptions options) => new()
    {
        [$"RedisStreams:Functions:{AppFunctions.Notifications}:TargetUnprocessedEntryThreshold"] =
            (options.NotificationConcurrency * 8).ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"RedisStreams:Functions:{AppFunctions.Spreadsheets}:TargetUnprocessedEntryThreshold"] =
            (options.SpreadsheetConcurrency * 8).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>The app's stream functions and their groups.</summary>
public static class AppFunctions
{
    public const string Notifications = "SendOrderNotification";
    public const string Spreadsheets = "AppendOrderToSpreadsheet";
    public const string NotificationsGroup = "notifications";
    public const string SpreadsheetsGroup = "spreadsheets";
    public static readonly string[] Groups = [NotificationsGroup, SpreadsheetsGroup];
}
