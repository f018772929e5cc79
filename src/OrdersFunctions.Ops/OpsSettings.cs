using System.Collections;
using System.Text.Json;

namespace OrdersFunctions.Ops;

/// <summary>
/// The app settings the command line needs, read as the app reads them: <c>local.settings.json</c> <c>Values</c>, then
/// environment variables (which win), with the app's defaults.
/// </summary>
public sealed record OpsSettings(string RedisConnection, string OrdersStream, string? DeadLetterStream, int? ReplayCap)
{
    public const string DefaultRedisConnection = "127.0.0.1:6379";
    public const string DefaultOrdersStream = "orders-placed";

    /// <summary>The dead-letter stream of <paramref name="stream"/>: the app-wide <c>RedisStreams__DeadLetterStream</c>
    /// for the app's stream when set, else <c>{stream}:dead-letter</c> (as the app's ops functions resolve it).</summary>
    public string DeadLetterStreamFor(string stream) =>
        stream == OrdersStream && !string.IsNullOrWhiteSpace(DeadLetterStream) ? DeadLetterStream : stream + ":dead-letter";

    /// <exception cref="InvalidOperationException">local.settings.json exists but is not valid JSON.</exception>
    public static OpsSettings Load(string settingsFile, IDictionary environment)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (File.Exists(settingsFile))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(settingsFile));
                if (document.RootElement.TryGetProperty("Values", out var section) && section.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in section.EnumerateObject())
                    {
                        if (property.Value.ValueKind == JsonValueKind.String)
                            values[property.Name] = property.Value.GetString()!;
                    }
                }
            }
            catch (JsonException ex)
            {
                throw new InvalidOperationException($"{settingsFile} is not valid JSON ({ex.Message}): fix it or remove it to use the defaults.", ex);
            }
        }
        foreach (DictionaryEntry variable in environment)
        {
            if (variable.Key is string name && variable.Value is string value && !string.IsNullOrWhiteSpace(value))
                values[name] = value;
        }
        string? Get(string name) => values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
        return new OpsSettings(
            Get("RedisConnection") ?? DefaultRedisConnection,
            Get("OrdersStream") ?? DefaultOrdersStream,
            Get("RedisStreams__DeadLetterStream"),
            int.TryParse(Get("RedisStreams__DeadLetterReplayCap"), out var cap) ? cap : null);
    }
}
