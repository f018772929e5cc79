using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>
/// Judges a connection setting's value before anything connects. The reasons it gives are built from option names
/// only: StackExchange.Redis's own parse errors quote the value, and a URL such as <c>redis://:secret@host</c> would
/// even parse as an endpoint that carries the password.
/// </summary>
internal static partial class ConnectionStringCheck
{
    public static RedisConnectionProblem? Problem(SettingPhrase setting, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return RedisConnectionProblem.Create(RedisConnectionProblemKind.NotSet, setting);
        var trimmed = value.Trim();
        // App Service leaves a reference it cannot resolve in place as the setting's value.
        if (trimmed.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
            return RedisConnectionProblem.Create(RedisConnectionProblemKind.UnresolvedReference, setting, "Key Vault");
        if (trimmed.StartsWith("@Microsoft.AppConfiguration(", StringComparison.OrdinalIgnoreCase))
            return RedisConnectionProblem.Create(
                RedisConnectionProblemKind.UnresolvedReference, setting, "App Configuration");
        if (trimmed.Contains("://", StringComparison.Ordinal))
            return RedisConnectionProblem.Create(RedisConnectionProblemKind.InvalidSyntax, setting,
                "a URL such as redis://… is not one");

        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(trimmed);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return RedisConnectionProblem.Create(RedisConnectionProblemKind.InvalidSyntax, setting,
                OptionName(ex.ParamName) is { } name
                    ? $"option '{name}' has a value it cannot use"
                    : "a value it cannot use");
        }
        catch (ArgumentException ex)
        {
            return RedisConnectionProblem.Create(RedisConnectionProblemKind.InvalidSyntax, setting,
                OptionName(ex.ParamName) is { } name ? $"option '{name}' is unknown" : "an option it does not know");
        }
        return options.EndPoints.Count == 0
            ? RedisConnectionProblem.Create(RedisConnectionProblemKind.NoEndpoint, setting)
            : null;
    }

    /// <summary>The option name StackExchange.Redis complained about, when it looks like one (a word, not a fragment
    /// of the value such as <c>@Microsoft.KeyVault(SecretUri</c>).</summary>
    private static string? OptionName(string? parameterName) =>
        parameterName is not null && OptionNamePattern().IsMatch(parameterName) ? parameterName : null;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,39}$")]
    private static partial Regex OptionNamePattern();
}
