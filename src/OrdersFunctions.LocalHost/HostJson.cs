using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// Reads the app's <c>host.json</c> section <c>extensions</c> into the configuration path where the Functions host
/// exposes it (<c>AzureFunctionsJobHost:extensions</c>), so that engine options (<c>redisStreams</c>) and the HTTP
/// route prefix (<c>http.routePrefix</c>) set there apply under the local host too, with the same precedence: below
/// app settings and environment variables (e.g. <c>AzureFunctionsJobHost__extensions__http__routePrefix</c>).
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

    /// <summary>The settings under <c>extensions</c> as configuration keys below
    /// <see cref="ExtensionsSection"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, or a section read here is not an
    /// object.</exception>
    public static Dictionary<string, string?> ReadExtensionSettings(string path) =>
        HostJsonSettings.ReadExtensionSettings(path);
}
