namespace OrdersFunctions.OpsPage.Tests;

/// <summary>
/// Where the browser comes from: Debian's <c>chromium</c> package (or <see cref="PathVariable"/>), never Playwright's
/// own download, which these machines cannot reach. Playwright drives it through <c>ExecutablePath</c>.
/// </summary>
public static class Chromium
{
    public const string DefaultPath = "/usr/bin/chromium";
    public const string PathVariable = "CHROMIUM_PATH";

    /// <summary>The chromium binary to drive: <c>CHROMIUM_PATH</c> when set, else <see cref="DefaultPath"/>.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured ? configured : DefaultPath;

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => SkipReasonFor(ExecutablePath);

    /// <summary>One line naming the missing binary and the fix, or null when <paramref name="path"/> exists.</summary>
    public static string? SkipReasonFor(string path) =>
        File.Exists(path) ? null : $"chromium not found at {path}: apt-get install -y chromium (or set {PathVariable})";

    /// <summary>
    /// Headless and quiet: no GPU, no QUIC, no calls home, no first-run UI. Root cannot use the sandbox.
    /// </summary>
    public static IReadOnlyList<string> Arguments
    {
        get
        {
            var arguments = new List<string>
            {
                "--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            };
            if (Environment.UserName == "root")
                arguments.Insert(0, "--no-sandbox");
            return arguments;
        }
    }
}
