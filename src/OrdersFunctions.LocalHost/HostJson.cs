using System.Text.Json;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// Reads the app's <c>host.json</c> section <c>extensions.redisStreams</c> into the configuration path where the
/// Functions host exposes it (<c>AzureFunctionsJobHost:extensions:redisStreams</c>), so engine options set there apply
/// under the local host too, with the same precedence: below app settings and environment variables.
/// </summary>
public static class HostJson
{
    public const string FileName = "host.json";

    /// <summary>Where the Functions host puts host.json's <c>extensions.redisStreams</c> in configuration.</summary>
    public const string RedisStreamsSection = "AzureFunctionsJobHost:extensions:redisStreams";

    /// <summary>The first <c>host.json</c> among <paramref name="folders"/>, or null.</summary>
    public static string? Find(params string[] folders) =>
        folders.Select(f => Path.Combine(f, FileName)).FirstOrDefault(File.Exists);

    /// <summary>The settings under <c>extensions.redisStreams</c> as configuration keys below
    /// <see cref="RedisStreamsSection"/>; empty when the file has no such section.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, or the section is not an object.</exception>
    public static Dictionary<string, string?> ReadRedisStreamsSettings(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {ex.Message} Fix the file (the Functions host would not start with it either).", ex);
        }

        using (document)
        {
            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !TryGetProperty(document.RootElement, "extensions", out var extensions) || extensions.ValueKind != JsonValueKind.Object
                || !TryGetProperty(extensions, "redisStreams", out var section) || section.ValueKind == JsonValueKind.Null)
                return settings;
            if (section.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path}: 'extensions.redisStreams' must be an object of option names to values.");
            Flatten(section, RedisStreamsSection, settings);
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
                settings[prefix] = element.GetRawText(); // numbers and booleans as written, as JSON configuration reads them
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
