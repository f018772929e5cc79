using System.Diagnostics;
using System.Reflection;

namespace OrdersFunctions.Infra.Tests.Support;

/// <summary>
/// Runs the Bicep CLI restored from the NuGet package Azure.Bicep.CommandLine.linux-x64 (its path is baked into this
/// assembly at build time; the environment variable BICEP_PATH overrides it).
/// </summary>
public static class BicepCli
{
    public const string PathOverrideVariable = "BICEP_PATH";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static readonly Lazy<string> Executable = new(Locate);

    public static string ExecutablePath => Executable.Value;

    public static Task<CommandResult> RunAsync(
        IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken = default) =>
        CommandRunner.RunAsync(ExecutablePath, arguments, workingDirectory, Timeout, cancellationToken);

    private static string Locate()
    {
        var path = Environment.GetEnvironmentVariable(PathOverrideVariable);
        if (string.IsNullOrWhiteSpace(path))
        {
            path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .SingleOrDefault(attribute => attribute.Key == "BicepPath")?.Value;
        }

        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The Bicep CLI was not found at '{path}'. Restore tests/OrdersFunctions.Infra.Tests " +
                $"(it references the NuGet package Azure.Bicep.CommandLine.linux-x64) or set {PathOverrideVariable} " +
                "to a bicep executable.");
        }

        EnsureExecutable(path);
        return path;
    }

    private static void EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // NuGet extracts package files without guaranteeing the execute bit; add it for the owner when it is missing.
        var mode = File.GetUnixFileMode(path);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(
                path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }
}
