using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace OrdersFunctions.Bench.Scale.Control;

/// <summary>
/// The configuration the Functions host would hand the extension on one instance of the scenario: the app settings
/// (from the instances' local.settings.json, <c>A__B</c> as <c>A:B</c>), the app's host.json under
/// <c>AzureFunctionsJobHost</c>, the plan's maximum as <c>maxTargetWorkerCount</c>, and the scenario's scale settings.
/// </summary>
public static class ScalerConfiguration
{
    public const string HostJsonSection = "AzureFunctionsJobHost:extensions:redisStreams";

    public static IConfiguration Build(string settingsFile, string hostJson, int maxInstances,
        IReadOnlyDictionary<string, string?> defaults, IReadOnlyDictionary<string, string?> scenario)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in Flatten(hostJson))
            values["AzureFunctionsJobHost:" + key] = value;
        values[$"{HostJsonSection}:maxTargetWorkerCount"] =
            maxInstances.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (var settings = JsonDocument.Parse(File.ReadAllBytes(settingsFile)))
        {
            foreach (var setting in settings.RootElement.GetProperty("Values").EnumerateObject())
                values[setting.Name.Replace("__", ":", StringComparison.Ordinal)] = setting.Value.GetString();
        }
        foreach (var (key, value) in defaults.Concat(scenario))
            values[key] = value;
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private static IEnumerable<KeyValuePair<string, string?>> Flatten(string jsonFile) =>
        JsonValues(jsonFile).Where(kv => kv.Value is not null);

    private static Dictionary<string, string?> JsonValues(string jsonFile)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        using var document = JsonDocument.Parse(File.ReadAllBytes(jsonFile),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        Walk(document.RootElement, "", values);
        return values;
    }

    private static void Walk(JsonElement element, string prefix, Dictionary<string, string?> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    Walk(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}", values);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    Walk(item, $"{prefix}:{index++}", values);
                break;
            case JsonValueKind.String:
                values[prefix] = element.GetString();
                break;
            default:
                values[prefix] = element.GetRawText();
                break;
        }
    }
}
