using System.Collections;
using System.Text.Json;
using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.Ops;

/// <summary>
/// The app settings the command line needs, read as the app reads them: <c>local.settings.json</c> <c>Values</c>, then
/// environment variables (which win), with the app's defaults. Engine options (<c>RedisStreams__*</c>) are read the
/// same way, over host.json's <c>extensions.redisStreams</c>, as the app's ops functions read them app-wide.
/// </summary>
/// <param name="RedisConnection">Setting <c>RedisConnection</c>.</param>
/// <param name="OrdersStream">Setting <c>OrdersStream</c>.</param>
/// <param name="DeadLetterStream">Setting <c>RedisStreams__DeadLetterStream</c>; null for <c>{stream}:dead-letter</c>.</param>
/// <param name="ReplayCap">Setting <c>RedisStreams__DeadLetterReplayCap</c>; null for the engine default.</param>
/// <param name="EngineSettings">Engine option values (e.g. <c>RetentionMinAge</c>, <c>ClaimMinIdle</c>), lowest layer
/// first; null for none. Read with <see cref="EngineOptions"/>.</param>
public sealed record OpsSettings(string RedisConnection, string OrdersStream, string? DeadLetterStream, int? ReplayCap,
    IReadOnlyList<EngineSetting>? EngineSettings = null)
{
    public const string DefaultRedisConnection = "127.0.0.1:6379";
    public const string DefaultOrdersStream = "orders-placed";

    private static readonly string[] EnginePrefixes = ["RedisStreams__", "RedisStreams:"];

    /// <summary>The engine's options as the app's settings set them (defaults for the rest): retention sizes and
    /// ClaimMinIdle judge the overview's figures the way the app's <c>GET /api/ops/overview</c> does.</summary>
    /// <exception cref="InvalidOperationException">A value cannot be parsed; the message names every one.</exception>
    public StreamSubscriberOptions EngineOptions()
    {
        var options = new StreamSubscriberOptions();
        var errors = new List<string>();
        foreach (var setting in EngineSettings ?? [])
            StreamSubscriberOptionsBinder.Set(options, setting.Name, setting.Value.Trim(), setting.Source, errors);
        return errors.Count == 0 ? options : throw new InvalidOperationException(string.Join(" ", errors));
    }

    /// <summary>The dead-letter stream of <paramref name="stream"/>: the app-wide <c>RedisStreams__DeadLetterStream</c>
    /// for the app's stream when set, else <c>{stream}:dead-letter</c> (as the app's ops functions resolve it).</summary>
    public string DeadLetterStreamFor(string stream) =>
        stream == OrdersStream && !string.IsNullOrWhiteSpace(DeadLetterStream) ? DeadLetterStream : stream + ":dead-letter";

    /// <param name="settingsFile">local.settings.json (may be missing).</param>
    /// <param name="environment">Environment variables; they win over the file.</param>
    /// <param name="hostJsonFile">host.json (may be missing or null): its <c>extensions.redisStreams</c> is the lowest
    /// layer of the engine options, as for the app.</param>
    /// <exception cref="InvalidOperationException">local.settings.json or host.json exists but is not valid JSON.</exception>
    public static OpsSettings Load(string settingsFile, IDictionary environment, string? hostJsonFile = null)
    {
        var engine = new List<EngineSetting>();
        if (hostJsonFile is not null)
        {
            using var hostJson = ReadJson(hostJsonFile);
            if (hostJson is not null
                && hostJson.RootElement.TryGetProperty("extensions", out var extensions) && extensions.ValueKind == JsonValueKind.Object
                && extensions.TryGetProperty("redisStreams", out var redisStreams) && redisStreams.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in redisStreams.EnumerateObject())
                {
                    // host.json writes booleans and numbers bare; the binder parses text.
                    var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                    if (property.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null) && !string.IsNullOrWhiteSpace(text))
                        engine.Add(new EngineSetting(property.Name, text, $"host.json extensions.redisStreams.{property.Name}"));
                }
            }
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using (var settings = ReadJson(settingsFile))
        {
            if (settings is not null && settings.RootElement.TryGetProperty("Values", out var section) && section.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in section.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String)
                        values[property.Name] = property.Value.GetString()!;
                }
            }
        }
        foreach (DictionaryEntry variable in environment)
        {
            if (variable.Key is string name && variable.Value is string value && !string.IsNullOrWhiteSpace(value))
                values[name] = value;
        }
        foreach (var (name, value) in values.OrderBy(v => v.Key, StringComparer.OrdinalIgnoreCase))
        {
            var prefix = EnginePrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));
            if (prefix is not null && !string.IsNullOrWhiteSpace(value))
                engine.Add(new EngineSetting(name[prefix.Length..], value, $"setting '{name}'"));
        }
        string? Get(string name) => values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
        return new OpsSettings(
            Get("RedisConnection") ?? DefaultRedisConnection,
            Get("OrdersStream") ?? DefaultOrdersStream,
            Get("RedisStreams__DeadLetterStream"),
            int.TryParse(Get("RedisStreams__DeadLetterReplayCap"), out var cap) ? cap : null,
            engine);
    }

    private static JsonDocument? ReadJson(string file)
    {
        if (!File.Exists(file))
            return null;
        try
        {
            return JsonDocument.Parse(File.ReadAllText(file));
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{file} is not valid JSON ({ex.Message}): fix it or remove it to use the defaults.", ex);
        }
    }
}
