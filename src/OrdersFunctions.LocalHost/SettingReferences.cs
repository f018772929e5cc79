using System.Text.RegularExpressions;

namespace OrdersFunctions.LocalHost;

/// <summary>Resolves <c>%Setting%</c> references in attribute values from app settings, as the Functions host does.</summary>
public static partial class SettingReferences
{
    /// <summary>The value with every <c>%Name%</c> replaced; null when <paramref name="value"/> is null.</summary>
    /// <exception cref="InvalidOperationException">A referenced setting is missing or empty (named in the message).</exception>
    public static string? Resolve(string? value, IConfiguration configuration, string whatFor)
    {
        if (value is null)
            return null;
        return Reference().Replace(value, match =>
        {
            var name = match.Groups[1].Value;
            var resolved = configuration[LocalSettings.ToConfigurationKey(name)];
            return string.IsNullOrEmpty(resolved)
                ? throw new InvalidOperationException($"{whatFor} refers to app setting '{name}' ('%{name}%'), which is not set: add it to local.settings.json Values or the environment.")
                : resolved;
        });
    }

    /// <summary>The names of the settings <paramref name="value"/> refers to that are missing or empty.</summary>
    public static IEnumerable<string> Unset(string? value, IConfiguration configuration) =>
        value is null
            ? []
            : Reference().Matches(value).Select(m => m.Groups[1].Value)
                .Where(name => string.IsNullOrEmpty(configuration[LocalSettings.ToConfigurationKey(name)]));

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Reference();
}
