namespace OrdersFunctions.App.Tests;

/// <summary>
/// The app's isolated worker (<c>dotnet OrdersFunctions.App.dll</c>, as built next to this repository's projects) with
/// the environment a Functions host gives it: app settings as environment variables, nothing from the test's own.
/// </summary>
public static class WorkerProcess
{
    private static readonly string[] AppSettings =
        ["RedisConnection", "OrdersStream", "NotificationsGroup", "SpreadsheetsGroup"];

    /// <summary>The worker DLL.</summary>
    public static string Dll => ChildProcess.BuiltOutput("functions/OrdersFunctions.App", "OrdersFunctions.App.dll");

    /// <summary>Runs the worker directly, with <paramref name="settings"/> as its only app settings.</summary>
    public static ChildProcess Start(IReadOnlyDictionary<string, string> settings, IEnumerable<string> arguments) =>
        ChildProcess.Start("dotnet", Path.GetDirectoryName(Dll)!, [Dll, .. arguments], Environment(settings));

    /// <summary>
    /// Runs the worker as the child of a bash process that stands in for the Functions host (so that killing that
    /// parent orphans the worker, as killing the host does); bash prints the worker's process id as
    /// <c>worker-pid N</c> first.
    /// </summary>
    public static ChildProcess StartUnderParent(
        IReadOnlyDictionary<string, string> settings, IEnumerable<string> arguments) =>
        ChildProcess.Start("bash", Path.GetDirectoryName(Dll)!,
            ["-c", "dotnet \"$@\" & echo \"worker-pid $!\"; wait", "bash", Dll, .. arguments], Environment(settings));

    /// <summary>The worker's process id from <see cref="StartUnderParent"/>'s output, once printed.</summary>
    public static int? WorkerId(ChildProcess parent) =>
        parent.Output.Split('\n').FirstOrDefault(l => l.StartsWith("worker-pid ", StringComparison.Ordinal)) is { } line
            ? int.Parse(line["worker-pid ".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string> settings)
    {
        var environment = AppSettings.ToDictionary(name => name, _ => (string?)null);
        foreach (var (name, value) in settings)
            environment[name] = value;
        // The worker's logs at Warning and above only: what a test reads is the refusal lines and exit code.
        environment["Logging__LogLevel__Default"] = "Warning";
        return environment;
    }
}
