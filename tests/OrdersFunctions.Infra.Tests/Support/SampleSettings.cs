using System.Text.Json.Nodes;

namespace OrdersFunctions.Infra.Tests.Support;

/// <summary>The app settings the app reads, as documented by local.settings.sample.json's <c>Values</c>.</summary>
public static class SampleSettings
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Values = new(Load);

    public static IReadOnlyDictionary<string, string> All => Values.Value;

    /// <summary>Setting names as xunit theory data, one case per setting.</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in All.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    private static IReadOnlyDictionary<string, string> Load()
    {
        var path = RepositoryLayout.SampleSettings;
        var root = JsonNode.Parse(File.ReadAllText(path))
            ?? throw new InvalidOperationException($"{path} is empty.");
        var values = root["Values"] as JsonObject
            ?? throw new InvalidOperationException($"{path} has no 'Values' object.");
        return values.ToDictionary(
            pair => pair.Key, pair => pair.Value?.GetValue<string>() ?? string.Empty, StringComparer.Ordinal);
    }
}
