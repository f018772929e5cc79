using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Functions.Worker;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// The key check of HTTP functions, as Azure does it: the key in the <c>x-functions-key</c> header or the <c>code</c>
/// query parameter; a Function-level function accepts the function key or the master key, an Admin-level one only the
/// master key. The keys are the settings <see cref="SettingName"/> and <see cref="MasterKeySettingName"/>; with neither
/// set every route is open (the host warns at start).
/// </summary>
public sealed class FunctionKeyCheck(string? functionKey, string? masterKey = null)
{
    /// <summary>Configuration key of the function key (environment variable <c>LocalHost__FunctionKey</c>).</summary>
    public const string SettingName = "LocalHost:FunctionKey";
    /// <summary>Configuration key of the master key (environment variable <c>LocalHost__MasterKey</c>).</summary>
    public const string MasterKeySettingName = "LocalHost:MasterKey";
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    private readonly byte[]? _functionKey = Bytes(functionKey);
    private readonly byte[]? _masterKey = Bytes(masterKey);

    public bool IsConfigured => _functionKey is not null || _masterKey is not null;

    /// <summary>True when <paramref name="level"/> needs no key, no key is configured, or the request carries a key
    /// the level accepts.</summary>
    public bool IsAuthorized(HttpRequest request, AuthorizationLevel level)
    {
        if (level == AuthorizationLevel.Anonymous || !IsConfigured)
            return true;
        var given = request.Headers.TryGetValue(HeaderName, out var header) ? header.ToString()
            : request.Query.TryGetValue(QueryName, out var code) ? code.ToString()
            : null;
        if (given is null)
            return false;
        var bytes = Encoding.UTF8.GetBytes(given);
        return Matches(bytes, _masterKey) || (level != AuthorizationLevel.Admin && Matches(bytes, _functionKey));
    }

    /// <summary>What to send, for the log line of a 401 (the answer itself has no body, as under the Functions
    /// host).</summary>
    public static string Requirement(AuthorizationLevel level) => level == AuthorizationLevel.Admin
        ? "This function needs the master key " +
          $"(setting {MasterKeySettingName.Replace(":", "__", StringComparison.Ordinal)}) " +
          $"in the '{HeaderName}' header or the '{QueryName}' query parameter."
        : $"Send the function key in the '{HeaderName}' header or the '{QueryName}' query parameter.";

    // Constant time, so the comparison does not leak how much of a guess was right.
    private static bool Matches(byte[] given, byte[]? key) =>
        key is not null && CryptographicOperations.FixedTimeEquals(given, key);

    private static byte[]? Bytes(string? key) => string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);
}
