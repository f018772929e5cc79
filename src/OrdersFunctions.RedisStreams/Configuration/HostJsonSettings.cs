using System.Text.Json;

namespace OrdersFunctions.RedisStreams.Configuration;

/// <summary>
/// Reads a Functions app's <c>host.json</c> section <c>extensions</c> into the configuration path where the Functions
/// host exposes it (<see cref="SettingNames.HostJsonExtensionsSection"/>), so every process that resolves trigger
/// options (the local host, the app's worker, the command line) sees host.json's <c>redisStreams</c> settings as the
/// Functions host does, below app settings and environment variables.
/// </summary>
public static class HostJsonSettings
{
    public const string FileName = "host.json";

    /// <summary>The settings under <c>extensions</c> as configuration keys below
    /// <see cref="SettingNames.HostJsonExtensionsSection"/>; empty when the file has no such section.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, or a section read here is not
    /// an object.</exception>
    public static Dictionary<string, string?> ReadExtensionSettings(string path)
    {
        var document = SettingsJson.Parse(path, "the Functions host would not start with it either.");

        using (document)
        {
            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !TryGetProperty(document.RootElement, "extensions", out var extensions)
                || extensions.ValueKind == JsonValueKind.Null)
                return settings;
            if (extensions.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException(
                    $"{path}: 'extensions' must be an object of extension names to their settings.");
            if (TryGetProperty(extensions, "redisStreams", out var section)
                && section.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                throw new InvalidDataException(
                    $"{path}: 'extensions.redisStreams' must be an object of option names to values.");
            Flatten(extensions, SettingNames.HostJsonExtensionsSection, settings);
            return settings;
        }
    }

    private static void Flatten(JsonElement element, string prefix, Dictionary<string, string?> settings)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    Flatten(property.Value, $"{prefix}:{property.Name}", settings);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    Flatten(item, $"{prefix}:{index++}", settings);
                break;
            case JsonValueKind.String:
                settings[prefix] = element.GetString();
                break;
            case JsonValueKind.Null:
                settings[prefix] = null;
                break;
            default:
                // Numbers and booleans as written, as JSON configuration reads them.
                settings[prefix] = element.GetRawText();
                break;
        }
    }

    // host.json property names are matched ignoring case, as configuration keys are.
    private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }
}
