namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>
/// Why the Redis connection cannot be used, in one line that names the setting and the likely fix, for log lines,
/// 503 answers and health checks. It never carries the setting's value, a host name or a password: the value may hold
/// a secret, and the health endpoint is anonymous. <see cref="OfSetting"/> judges a setting's value before any connect;
/// <see cref="OfFailure"/> classifies what StackExchange.Redis reported.
/// </summary>
public sealed record RedisConnectionProblem
{
    private RedisConnectionProblem(RedisConnectionProblemKind kind, string message)
    {
        Kind = kind;
        Message = message;
    }

    /// <summary>What went wrong.</summary>
    public RedisConnectionProblemKind Kind { get; }

    /// <summary>One line naming the setting and the fix; no value, host or secret.</summary>
    public string Message { get; }

    /// <summary>
    /// How specific the problem is: a connection attempt reports several failures (a refused password, then the
    /// reset it causes), and the most specific one is what the user has to fix.
    /// </summary>
    internal int Specificity => Kind switch
    {
        RedisConnectionProblemKind.NotSet or RedisConnectionProblemKind.UnresolvedReference
            or RedisConnectionProblemKind.InvalidSyntax or RedisConnectionProblemKind.NoEndpoint => 6,
        RedisConnectionProblemKind.PasswordRejected or RedisConnectionProblemKind.PasswordRequired
            or RedisConnectionProblemKind.TlsNotSpokenByServer
            or RedisConnectionProblemKind.TlsCertificateRejected => 5,
        RedisConnectionProblemKind.NotRedis => 4,
        RedisConnectionProblemKind.ClosedDuringHandshake or RedisConnectionProblemKind.Unreachable => 3,
        RedisConnectionProblemKind.ConnectionLost => 2,
        RedisConnectionProblemKind.NotAnswering => 1,
        _ => 0,
    };

    /// <summary>
    /// The problem with a connection setting's value, or null when it is a usable StackExchange.Redis connection
    /// string (which says nothing yet about the server).
    /// </summary>
    /// <param name="settingName">The app setting the value comes from, e.g. <c>RedisConnection</c>; null for a
    /// connection string that did not come from a setting.</param>
    /// <param name="value">The setting's value.</param>
    public static RedisConnectionProblem? OfSetting(string? settingName, string? value) =>
        ConnectionStringCheck.Problem(new SettingPhrase(settingName), value);

    /// <summary>
    /// The problem behind a failure StackExchange.Redis reported (an exception of a command, of a connect, or one it
    /// logged while connecting); the most specific one found anywhere in the exception's chain.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <param name="settingName">The app setting the connection string came from, or null.</param>
    /// <param name="passwordGiven">Whether the connection string gives a password (so: refused, or missing).</param>
    /// <param name="tls">Whether the connection string asks for TLS.</param>
    public static RedisConnectionProblem OfFailure(
        Exception exception, string? settingName, bool passwordGiven, bool tls)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return ConnectionFailureClassifier.Classify(exception, new SettingPhrase(settingName), passwordGiven, tls)
            ?? Create(RedisConnectionProblemKind.Other, new SettingPhrase(settingName), exception.GetType().Name);
    }

    /// <summary>The message of each kind. <paramref name="detail"/> is a short, value-free reason where a kind has
    /// one.</summary>
    internal static RedisConnectionProblem Create(
        RedisConnectionProblemKind kind, SettingPhrase setting, string? detail = null)
    {
        const string Syntax = "write host:port, with options such as ,password=… and ,ssl=True";
        var (subject, @object) = (setting.Subject, setting.Object);
        var message = kind switch
        {
            RedisConnectionProblemKind.NotSet =>
                $"{subject} is not set: set it to the Redis connection string, e.g. 127.0.0.1:6379 ({Syntax}).",
            RedisConnectionProblemKind.UnresolvedReference =>
                $"{subject} is an unresolved {detail ?? "Key Vault"} reference (the platform left the reference text "
                + "as the value): give the app's identity read access to the secret (Key Vault Secrets User), check "
                + "the secret's URI and the vault's network rules (the Portal's Environment variables page shows why), "
                + "then restart the app.",
            RedisConnectionProblemKind.InvalidSyntax =>
                $"{subject} is not a StackExchange.Redis connection string ({detail}): {Syntax}.",
            RedisConnectionProblemKind.NoEndpoint =>
                $"{subject} names no host:port: {Syntax}.",
            RedisConnectionProblemKind.PasswordRejected =>
                $"Redis refused the password in {@object}: set password= to the server's current password or "
                + "access key.",
            RedisConnectionProblemKind.PasswordRequired =>
                $"Redis requires a password and {@object} gives none: add ,password=<password or access key>.",
            RedisConnectionProblemKind.TlsNotSpokenByServer =>
                $"The TLS handshake with Redis failed: {@object} has ssl=True but the server at that address does "
                + "not speak TLS: remove ssl=True, or use the server's TLS port (Azure Managed Redis: 10000).",
            RedisConnectionProblemKind.TlsCertificateRejected =>
                $"Redis's TLS certificate is not trusted: in {@object} use the host name the certificate names "
                + "(not an IP address), or trust its issuer on this machine.",
            RedisConnectionProblemKind.ClosedDuringHandshake =>
                "Redis closed the connection before answering, as a TLS-only port does: add ,ssl=True to "
                + $"{@object} (and use the TLS port, e.g. 6380, or 10000 on Azure Managed Redis).",
            RedisConnectionProblemKind.NotRedis =>
                $"The server at the address in {@object} is not Redis (it answers in another protocol): point "
                + "the setting at a Redis host:port.",
            RedisConnectionProblemKind.Unreachable =>
                $"Nothing accepts connections at the address in {@object} (refused, or the host name does not "
                + "resolve): start Redis there, or fix the host and port.",
            RedisConnectionProblemKind.NotAnswering =>
                $"Redis at the address in {@object} accepts connections but does not answer: check that it is "
                + "Redis and not overloaded, or add ,ssl=True if that port expects TLS.",
            RedisConnectionProblemKind.ConnectionLost =>
                $"The connection to Redis ({@object}) was lost: reconnecting in the background.",
            RedisConnectionProblemKind.Connecting =>
                $"Redis ({@object}) has not answered yet: still connecting.",
            _ => $"Redis ({@object}) cannot be used ({detail ?? "unknown failure"}): retrying in the background.",
        };
        return new RedisConnectionProblem(kind, message);
    }

    /// <inheritdoc />
    public override string ToString() => Message;
}
