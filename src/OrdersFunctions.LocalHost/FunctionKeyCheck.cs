using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// The function-key check of Function- and Admin-level HTTP functions, as Azure does it: the key in the
/// <c>x-functions-key</c> header or the <c>code</c> query parameter. The key is the setting
/// <see cref="SettingName"/>; without it every route is open (the host warns at start).
/// </summary>
public sealed class FunctionKeyCheck(string? key)
{
    /// <summary>Configuration key of the function key (environment variable <c>LocalHost__FunctionKey</c>).</summary>
    public const string SettingName = "LocalHost:FunctionKey";
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    private readonly byte[]? _key = string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);

    public bool IsConfigured => _key is not null;

    /// <summary>True when no key is configured or the request carries it.</summary>
    public bool IsAuthorized(HttpRequest request)
    {
        if (_key is null)
            return true;
        var given = request.Headers.TryGetValue(HeaderName, out var header) ? header.ToString()
            : request.Query.TryGetValue(QueryName, out var code) ? code.ToString()
            : null;
        // Constant time, so the comparison does not leak how much of a guess was right.
        return given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _key);
    }
}
