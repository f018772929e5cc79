using System.Reflection;

namespace OrdersFunctions.LocalHost;

/// <summary>What to run and where.</summary>
public sealed class LocalHostOptions
{
    /// <summary>The default port, the same as Core Tools' <c>func start</c>.</summary>
    public const int DefaultPort = 7071;

    /// <summary>The Functions app assembly whose <c>[Function]</c> methods to run.</summary>
    public required Assembly AppAssembly { get; init; }

    /// <summary>The loopback port; 0 takes any free one (read it back from <c>WebApplication.Urls</c>).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>A <c>local.settings.json</c> to read; null searches the working directory, then the app's
    /// folder.</summary>
    public string? SettingsFile { get; init; }

    /// <summary>A <c>host.json</c> whose <c>extensions.redisStreams</c> section to read; null searches the app's folder
    /// (where the Functions host reads it), then the working directory.</summary>
    public string? HostJsonFile { get; init; }

    /// <summary>Whether environment variables override the settings file (as app settings do in Azure). Default
    /// on.</summary>
    public bool UseEnvironmentVariables { get; init; } = true;

    /// <summary>Settings that override everything else (configuration keys, <c>:</c> or <c>__</c> separated).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();
}
