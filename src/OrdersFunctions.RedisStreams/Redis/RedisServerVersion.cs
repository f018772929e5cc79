using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>
/// The Redis version a server reports (INFO server, <c>redis_version</c>), and what it allows retention to do.
/// </summary>
public static class RedisServerVersion
{
    /// <summary>XTRIM MINID arrived in Redis 6.2.</summary>
    public static readonly Version MinIdTrimming = new(6, 2);

    /// <summary>
    /// Reads <c>redis_version</c> from INFO server; null when the server does not say (a proxy, a look-alike).
    /// </summary>
    public static async Task<Version?> ReadAsync(IDatabaseAsync database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        var reply = await database.ExecuteAsync("INFO", "server").WaitAsync(cancellationToken).ConfigureAwait(false);
        return Parse((string?)reply);
    }

    /// <summary>The <c>redis_version</c> line of an INFO reply, or null.</summary>
    public static Version? Parse(string? info)
    {
        foreach (var line in (info ?? "").Split('\n'))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith("redis_version:", StringComparison.Ordinal))
                continue;
            var text = trimmed["redis_version:".Length..];
            var end = 0;
            while (end < text.Length && (char.IsDigit(text[end]) || text[end] == '.')) end++;
            return Version.TryParse(text[..end], out var version) ? version : null;
        }
        return null;
    }

    /// <summary>True when the server can trim by MINID. An unknown version is tried: a server without MINID answers
    /// XTRIM with an error, which the caller logs.</summary>
    public static bool SupportsMinIdTrimming(Version? version) => version is null || version >= MinIdTrimming;
}
