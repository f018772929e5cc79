namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>Why the Redis connection cannot be used, as far as the client can tell. Each kind has its own fix.
/// </summary>
public enum RedisConnectionProblemKind
{
    /// <summary>The connection setting is unset or blank.</summary>
    NotSet,

    /// <summary>The setting still holds an <c>@Microsoft.KeyVault(…)</c> (or App Configuration) reference: the
    /// platform could not resolve it and left the reference text as the value.</summary>
    UnresolvedReference,

    /// <summary>The setting is not StackExchange.Redis connection-string syntax (unknown option, bad value, a URL).
    /// </summary>
    InvalidSyntax,

    /// <summary>The setting parses but names no <c>host:port</c>.</summary>
    NoEndpoint,

    /// <summary>Redis refused the password the setting gives (WRONGPASS, or NOAUTH after AUTH).</summary>
    PasswordRejected,

    /// <summary>Redis wants a password and the setting gives none.</summary>
    PasswordRequired,

    /// <summary>The setting asks for TLS and the server at that address does not speak it.</summary>
    TlsNotSpokenByServer,

    /// <summary>TLS was negotiated but the server's certificate is not trusted (its issuer, or a host name it does not
    /// name).</summary>
    TlsCertificateRejected,

    /// <summary>The server closed plain-text connections before answering: typically a TLS-only port.</summary>
    ClosedDuringHandshake,

    /// <summary>Something answers at the address, in another protocol than Redis's.</summary>
    NotRedis,

    /// <summary>Nothing accepts connections at the address (refused, or the host name does not resolve).</summary>
    Unreachable,

    /// <summary>The address accepts connections but nothing answers the handshake or the command in time.</summary>
    NotAnswering,

    /// <summary>An established connection broke; the client is reconnecting.</summary>
    ConnectionLost,

    /// <summary>No attempt has finished yet since the connection was started.</summary>
    Connecting,

    /// <summary>Any other failure.</summary>
    Other,
}
