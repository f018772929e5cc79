using System.Text.Json;

namespace OrdersFunctions.RedisStreams.Configuration;

/// <summary>
/// Reads the <c>Values</c> of a Core Tools <c>local.settings.json</c> into configuration keys: <c>A__B</c> becomes
/// <c>A:B</c>, as Azure turns app settings into environment variables and .NET configuration reads them back.
/// </summary>
public static class LocalSettings
{
    public const string FileName = "local.settings.json";

    /// <summary>What to compare a broken local.settings.json with.</summary>
    public const string SampleHint = "local.settings.sample.json shows the expected shape.";

    /// <summary>The first <c>local.settings.json</c> among <paramref name="folders"/>, or null.</summary>
    public static string? Find(params string[] folders) =>
        folders.Select(f => Path.Combine(f, FileName)).FirstOrDefault(File.Exists);

    /// <exception cref="InvalidDataException">The file is not JSON or <c>Values</c> is not an object of
    /// strings.</exception>
    public static Dictionary<string, string?> ReadValues(string path)
    {
        using var document = SettingsJson.Parse(path, SampleHint);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!document.RootElement.TryGetProperty("Values", out var section))
            return values;
        if (section.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: 'Values' must be an object of setting names to strings.");
        foreach (var setting in section.EnumerateObject())
        {
            values[ToConfigurationKey(setting.Name)] = setting.Value.ValueKind switch
            {
                JsonValueKind.String => setting.Value.GetString(),
                JsonValueKind.Null => null,
                _ => setting.Value.GetRawText(), // numbers and booleans as written (Core Tools is as lenient)
            };
        }
        return values;
    }

    /// <summary><c>RedisStreams__MaxDeliveries</c> → <c>RedisStreams:MaxDeliveries</c>.</summary>
    public static string ToConfigurationKey(string name) => name.Replace("__", ":", StringComparison.Ordinal);
}
