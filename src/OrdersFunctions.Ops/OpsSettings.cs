using System.Collections;
using Microsoft.Extensions.Configuration;
using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.Ops;

/// <summary>
/// The app's settings as the command line sees them, in the layers the app sees them: host.json's
/// <c>extensions.redisStreams</c> (where the Functions host puts it), then <c>local.settings.json</c> <c>Values</c>,
/// then environment variables (which win). The streams and groups come from the app's own code, resolved with these
/// settings by the engine, exactly as the app resolves them: nothing is defaulted here.
/// </summary>
public sealed class OpsSettings
{
    private OpsSettings(IConfiguration configuration) => Configuration = configuration;

    /// <summary>The settings, as configuration keys (<c>A__B</c> read as <c>A:B</c>).</summary>
    public IConfiguration Configuration { get; }

    /// <summary>Settings from named values (tests, scripts): names as in local.settings.json
    /// (<c>RedisStreams__MaxDeliveries</c>). A name given again (in any case, with <c>__</c> or <c>:</c>) replaces the
    /// earlier value, as a later layer does.</summary>
    public static OpsSettings From(IEnumerable<KeyValuePair<string, string?>> values)
    {
        var layered = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
            layered[Key(name)] = value;
        return new(new ConfigurationBuilder().AddInMemoryCollection(layered).Build());
    }

    /// <param name="settingsFile">local.settings.json (may be missing).</param>
    /// <param name="environment">Environment variables; they win over the file.</param>
    /// <param name="hostJsonFile">host.json (may be missing or null).</param>
    /// <exception cref="InvalidDataException">local.settings.json or host.json exists but is not valid JSON (one line
    /// with the file and the line, as the local host says it).</exception>
    public static OpsSettings Load(string settingsFile, IDictionary environment, string? hostJsonFile = null)
    {
        // The same readers and layers as the local host: host.json below local.settings.json below the environment.
        var values = new List<KeyValuePair<string, string?>>();
        if (hostJsonFile is not null && File.Exists(hostJsonFile))
            values.AddRange(HostJsonSettings.ReadExtensionSettings(hostJsonFile));
        if (File.Exists(settingsFile))
            values.AddRange(LocalSettings.ReadValues(settingsFile));
        foreach (DictionaryEntry variable in environment)
        {
            if (variable.Key is string name && variable.Value is string value && !string.IsNullOrWhiteSpace(value))
                values.Add(new(name, value));
        }
        return From(values);
    }

    /// <summary>The app's streams and groups with the options their triggers run with.</summary>
    public OpsTopology Topology() =>
        OpsTopology.Resolve(StreamFunctions.In(typeof(App.OrdersAppStartup).Assembly), Configuration);

    private static string Key(string name) => name.Replace("__", ":", StringComparison.Ordinal);
}
