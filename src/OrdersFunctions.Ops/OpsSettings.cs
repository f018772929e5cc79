using System.Collections;
using System.Text.Json;
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

    /// <summary>Settings from named values (tests, scripts): names as in local.settings.json (<c>RedisStreams__MaxDeliveries</c>).</summary>
    public static OpsSettings From(IEnumerable<KeyValuePair<string, string?>> values) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(Key(v.Key), v.Value))).Build());

    /// <param name="settingsFile">local.settings.json (may be missing).</param>
    /// <param name="environment">Environment variables; they win over the file.</param>
    /// <param name="hostJsonFile">host.json (may be missing or null).</param>
    /// <exception cref="InvalidOperationException">local.settings.json or host.json exists but is not valid JSON.</exception>
    public static OpsSettings Load(string settingsFile, IDictionary environment, string? hostJsonFile = null)
    {
        var values = new List<KeyValuePair<string, string?>>();
        if (hostJsonFile is not null)
            values.AddRange(HostJsonRedisStreams(hostJsonFile));
        using (var settings = ReadJson(settingsFile))
        {
            if (settings is not null && settings.RootElement.TryGetProperty("Values", out var section) && section.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in section.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String)
                        values.Add(new(property.Name, property.Value.GetString()));
                }
            }
        }
        foreach (DictionaryEntry variable in environment)
        {
            if (variable.Key is string name && variable.Value is string value && !string.IsNullOrWhiteSpace(value))
                values.Add(new(name, value));
        }
        return From(values);
    }

    /// <summary>The app's streams and groups with the options their triggers run with.</summary>
    public OpsTopology Topology() => OpsTopology.Resolve(StreamFunctions.In(typeof(App.OrdersAppStartup).Assembly), Configuration);

    private static string Key(string name) => name.Replace("__", ":", StringComparison.Ordinal);

    private static IEnumerable<KeyValuePair<string, string?>> HostJsonRedisStreams(string file)
    {
        using var hostJson = ReadJson(file);
        if (hostJson is null
            || !hostJson.RootElement.TryGetProperty("extensions", out var extensions) || extensions.ValueKind != JsonValueKind.Object
            || !extensions.TryGetProperty("redisStreams", out var redisStreams) || redisStreams.ValueKind != JsonValueKind.Object)
            yield break;
        foreach (var property in redisStreams.EnumerateObject())
        {
            // host.json writes booleans and numbers bare; the binder parses text.
            if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null)
                continue;
            var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            yield return new($"{StreamOptionsResolver.HostJsonSection}:{property.Name}", text);
        }
    }

    private static JsonDocument? ReadJson(string file)
    {
        if (!File.Exists(file))
            return null;
        try
        {
            return JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{file} is not valid JSON (line {ex.LineNumber + 1}): {ex.Message} Fix it or remove it.", ex);
        }
    }
}
