namespace OrdersFunctions.App.Tests;

/// <summary>The local host as a user runs it: <c>dotnet OrdersFunctions.LocalHost.dll --app OrdersFunctions.App.dll
/// ...</c> (both built next to this repository's projects).</summary>
public static class LocalHostProcess
{
    public static ChildProcess Start(string workingDirectory, params string[] arguments) =>
        ChildProcess.Start("dotnet", workingDirectory,
        [
            ChildProcess.BuiltOutput("src/OrdersFunctions.LocalHost", "OrdersFunctions.LocalHost.dll"),
            "--app", ChildProcess.BuiltOutput("functions/OrdersFunctions.App", "OrdersFunctions.App.dll"),
            .. arguments,
        ],
        // No settings from the developer's environment leak in (e.g. a RedisConnection variable).
        new Dictionary<string, string?> { ["RedisConnection"] = null });
}
