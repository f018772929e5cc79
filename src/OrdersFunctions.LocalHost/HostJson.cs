using OrdersFunctions.RedisStreams.Configuration;
using System.Text.Json;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// Reads the app's <c>host.json</c> section <c>extensions</c> into the configuration path where the Functions host
/// exposes it (<c>AzureFunctionsJobHost:extensions</c>), so that engine options (<c>redisStreams</c>) and the HTTP route
/// prefix (<c>http.routePrefix</c>) set there apply under the local host too, with the same precedence: below app
/// settings and environment variables (e.g. <c>AzureFunctionsJobHost__extensions__http__routePrefix</c>).
/// </summary>
public static class HostJson
{
    public const string FileName = "host.json";

    /// <summary>Where the Functions host puts host.json's <c>extensions</c> in configuration.</summary>
    public const string ExtensionsSection = SettingNames.HostJsonExtensionsSection;

    /// <summary>Where the Functions host puts host.json's <c>extensions.redisStreams</c> in configuration.</summary>
    public const string RedisStreamsSection = StreamOptionsResolver.HostJsonSection;

    /// <summary>The HTTP route prefix (<c>extensions.http.routePrefix</c>; the Functions host's default is <c>api</c>,
    /// an empty value removes the prefix).</summary>
    public const string HttpRoutePrefixKey = ExtensionsSection + ":http:routePrefix";

    /// <summary>The HTTP route prefix in effect, without slashes: <see cref="HttpRoutePrefixKey"/>, else <c>api</c>;
    /// empty for none.</summary>
    public static string HttpRoutePrefix(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        (configuration[HttpRoutePrefixKey] ?? DefaultHttpRoutePrefix).Trim('/');

    /// <summary>The Functions host's route prefix when host.json sets none.</summary>
    public const string DefaultHttpRoutePrefix = "api";

    /// <summary>The first <c>host.json</c> among <paramref name="folders"/>, or null.</summary>
    public static string? Find(params string[] folders) =>
        folders.Select(f => Path.Combine(f, FileName)).FirstOrDefault(File.Exists);

    /// <summary>The settings under <c>extensions</c> as configuration keys below <see cref="ExtensionsSection"/>;
    /// empty when the file has no such section.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, or a section read here is not an object.</exception>
    public static Dictionary<string, string?> ReadExtensionSettings(string path)
    {
        var document = SettingsJson.Parse(path, "the Functions host would not start with it either.");

        using (document)
        {
            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !TryGetProperty(document.RootElement, "extensions", out var extensions) || extensions.ValueKind == JsonValueKind.Null)
                return settings;
            if (extensions.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path}: 'extensions' must be an object of extension names to their settings.");
            if (TryGetProperty(extensions, "redisStreams", out var section) && section.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                throw new InvalidDataException($"{path}: 'extensions.redisStreams' must be an object of option names to values.");
            Flatten(extensions, ExtensionsSection, settings);
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
