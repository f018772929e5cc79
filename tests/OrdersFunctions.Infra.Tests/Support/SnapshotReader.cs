using System.Text.Json.Nodes;

namespace OrdersFunctions.Infra.Tests.Support;

/// <summary>
/// Reads the predicted resources of a `bicep snapshot` file (parameters and names already evaluated).
/// </summary>
public static class SnapshotReader
{
    public static IReadOnlyList<JsonObject> Resources(JsonNode snapshot, string type) =>
        (snapshot["predictedResources"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(resource =>
                string.Equals(resource["type"]?.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase))
            .ToList();

    public static JsonObject Single(JsonNode snapshot, string type)
    {
        var resources = Resources(snapshot, type);
        return resources.Count == 1
            ? resources[0]
            : throw new InvalidOperationException(
                $"Expected one predicted {type} in the snapshot, found {resources.Count}.");
    }

    /// <summary>The Function App's app settings as the snapshot predicts them.</summary>
    public static IReadOnlyDictionary<string, string> FunctionAppSettings(JsonNode snapshot) =>
        (Single(snapshot, TemplateInspector.FunctionAppType)["properties"]?["siteConfig"]?["appSettings"] as JsonArray
            ?? [])
            .OfType<JsonObject>()
            .ToDictionary(
                setting => setting["name"]?.GetValue<string>() ?? string.Empty,
                setting => setting["value"]?.ToString() ?? string.Empty,
                StringComparer.Ordinal);
}
