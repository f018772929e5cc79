using OrdersFunctions.RedisStreams.Configuration;
using System.Text.RegularExpressions;

namespace OrdersFunctions.LocalHost;

/// <summary>Resolves <c>%Setting%</c> references in attribute values from app settings, as the Functions host
/// does.</summary>
public static partial class SettingReferences
{
    /// <summary>The names of the settings <paramref name="value"/> refers to that are missing or empty.</summary>
    public static IEnumerable<string> Unset(string? value, IConfiguration configuration) =>
        value is null
            ? []
            : Reference().Matches(value).Select(m => m.Groups[1].Value)
                .Where(name => string.IsNullOrEmpty(configuration[LocalSettings.ToConfigurationKey(name)]));

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Reference();
}
