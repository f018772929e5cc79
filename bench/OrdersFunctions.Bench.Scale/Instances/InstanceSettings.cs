using System.Globalization;
using System.Text.Json;

namespace OrdersFunctions.Bench.Scale.Instances;

/// <summary>
/// The settings every instance of a scenario runs with: a generated local.settings.json (Redis, the scenario's own
/// stream, the shared CSV, the SMTP server, engine options) plus, per instance, <c>WEBSITE_INSTANCE_ID</c>.
/// </summary>
public sealed class InstanceSettings
{
    private static readonly string[] Inherited =
        ["RedisConnection", "OrdersStream", "NotificationsGroup", "SpreadsheetsGroup"];

    private InstanceSettings(string scenarioName, string folder, string stream, string settingsFile, string csvPath)
    {
        ScenarioName = scenarioName;
        Folder = folder;
        Stream = stream;
        SettingsFile = settingsFile;
        CsvPath = csvPath;
    }

    public string ScenarioName { get; }

    public string Folder { get; }

    public string Stream { get; }

    public string SettingsFile { get; }

    /// <summary>The one CSV file every instance appends to (the sink locks it across processes).</summary>
    public string CsvPath { get; }

    public static InstanceSettings Write(string folder, string scenarioName, string redis, int smtpPort,
        SimulationOptions options)
    {
        const string notifications = $"RedisStreams__Functions__{AppFunctions.Notifications}";
        const string spreadsheets = $"RedisStreams__Functions__{AppFunctions.Spreadsheets}";
        Directory.CreateDirectory(folder);
        var stream = $"orders-{scenarioName}-{Guid.NewGuid():N}"[..40];
        var csv = Path.Combine(folder, "orders.csv");
        var values = new Dictionary<string, string>
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["RedisConnection"] = redis,
            ["OrdersStream"] = stream,
            ["NotificationsGroup"] = AppFunctions.NotificationsGroup,
            ["SpreadsheetsGroup"] = AppFunctions.SpreadsheetsGroup,
            ["Spreadsheet__CsvPath"] = csv,
            ["Notifications__OutboxPath"] = Path.Combine(folder, "outbox"),
            ["Notifications__Smtp__Host"] = "127.0.0.1",
            ["Notifications__Smtp__Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            [$"{notifications}__MaxConcurrency"] = Invariant(options.NotificationConcurrency),
            // Reads of twice the concurrency, not the default 256: an entry read waits in memory for a free slot while
            // Redis counts its idle time, so with 256 per read and 100 ms sends the last would wait 3.2 s, past a short
            // ClaimMinIdle (then another instance claims and sends it too); and what one instance read, a new one
            // cannot get.
            [$"{notifications}__BatchSize"] = Invariant(options.NotificationConcurrency * 2),
            [$"{spreadsheets}__MaxConcurrency"] = Invariant(options.SpreadsheetConcurrency),
            ["RedisStreams__ClaimMinIdle"] = Invariant(options.ClaimMinIdle),
            ["RedisStreams__ClaimInterval"] = Invariant(options.ClaimInterval),
            ["RedisStreams__ConsumerIdleTimeout"] = Invariant(options.ConsumerIdleTimeout),
            // Per-order Information lines would cost the instances CPU that the 2-core machine needs for the load.
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var file = Path.Combine(folder, "local.settings.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new { IsEncrypted = false, Values = values }));
        return new InstanceSettings(scenarioName, folder, stream, file, csv);
    }

    /// <summary>The environment of one instance: its identity, and none of the developer's settings.</summary>
    public IReadOnlyDictionary<string, string?> EnvironmentFor(string instanceName)
    {
        var environment = new Dictionary<string, string?>
        {
            ["WEBSITE_INSTANCE_ID"] = instanceName,
            ["DOTNET_NOLOGO"] = "1",
        };
        // Values from the file must win over anything the developer's shell exports (null: removed).
        foreach (var name in Inherited)
            environment[name] = null;
        return environment;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
