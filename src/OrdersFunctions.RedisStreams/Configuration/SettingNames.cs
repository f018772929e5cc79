namespace OrdersFunctions.RedisStreams.Configuration;

/// <summary>Configuration paths as users write them, for error messages: app settings and environment variables use
/// <c>__</c> (<c>RedisStreams__MaxDeliveries</c>), host.json uses its JSON path
/// (<c>extensions.redisStreams.maxDeliveries</c>); <c>RedisStreams:MaxDeliveries</c> is only how .NET configuration
/// spells it inside.</summary>
public static class SettingNames
{
    /// <summary>Where the Functions host (and the local host) put host.json's <c>extensions</c> section.</summary>
    public const string HostJsonExtensionsSection = "AzureFunctionsJobHost:extensions";

    /// <summary><see cref="HostJsonExtensionsSection"/> as a key prefix.</summary>
    public const string HostJsonExtensionsPath = HostJsonExtensionsSection + ":";

    /// <summary>
    /// <c>host.json 'extensions.redisStreams.maxDeliveries'</c> or <c>setting 'RedisStreams__MaxDeliveries'</c>.
    /// </summary>
    public static string AsWritten(string configurationPath)
    {
        ArgumentNullException.ThrowIfNull(configurationPath);
        return configurationPath.StartsWith(HostJsonExtensionsPath, StringComparison.OrdinalIgnoreCase)
            ? $"host.json 'extensions.{configurationPath[HostJsonExtensionsPath.Length..].Replace(':', '.')}'"
            : $"setting '{configurationPath.Replace(":", "__", StringComparison.Ordinal)}'";
    }
}
