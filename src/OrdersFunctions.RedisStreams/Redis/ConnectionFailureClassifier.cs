using System.Net.Sockets;
using System.Security.Authentication;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>
/// Turns what StackExchange.Redis reports into a <see cref="RedisConnectionProblem"/>. It reports through exception
/// types, <see cref="RedisConnectionException.FailureType"/>, server errors in inner exceptions and a few markers in
/// its diagnostic text; these rules were read off what StackExchange.Redis 2.8 reports against a real redis-server
/// for each case, and the engine's tests check them there. The most specific problem anywhere in the chain wins: a
/// command that timed out in the backlog carries the last connection failure (e.g. NOAUTH) as its inner exception.
/// </summary>
internal static class ConnectionFailureClassifier
{
    /// <summary>The problem, or null when the exception tells nothing about the connection (e.g. an
    /// <see cref="ObjectDisposedException"/> logged while a failed attempt is torn down).</summary>
    public static RedisConnectionProblem? Classify(
        Exception exception, SettingPhrase setting, bool passwordGiven, bool tls)
    {
        RedisConnectionProblem? best = null;
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            var found = One(current, setting, passwordGiven, tls);
            if (found is not null && (best is null || found.Specificity > best.Specificity))
                best = found;
        }
        return best;
    }

    private static RedisConnectionProblem? One(Exception exception, SettingPhrase setting, bool passwordGiven, bool tls)
    {
        RedisConnectionProblem Of(RedisConnectionProblemKind kind) => RedisConnectionProblem.Create(kind, setting);
        var message = exception.Message;
        switch (exception)
        {
            case RedisConnectionProblemException known:
                return known.Problem;
            // The server's own refusal, raised as the handshake's inner exception ("Error: NOAUTH …")
            // or by a command.
            case not null when message.Contains("WRONGPASS", StringComparison.Ordinal)
                               || message.Contains("NOAUTH", StringComparison.Ordinal)
                               || message.Contains("invalid password", StringComparison.OrdinalIgnoreCase):
                return Of(passwordGiven
                    ? RedisConnectionProblemKind.PasswordRejected
                    : RedisConnectionProblemKind.PasswordRequired);
            case AuthenticationException when message.Contains("certificate", StringComparison.OrdinalIgnoreCase):
                return Of(RedisConnectionProblemKind.TlsCertificateRejected);
            case AuthenticationException:
                return Of(RedisConnectionProblemKind.TlsNotSpokenByServer);
            // The TLS handshake reads an EOF when the server speaks plain RESP (it answers the ClientHello with an
            // error and closes); StackExchange.Redis logs that IOException as it is, or wraps it
            // (origin ConnectedAsync).
            case IOException when tls:
                return Of(RedisConnectionProblemKind.TlsNotSpokenByServer);
            case ObjectDisposedException:
                return null;
            case InvalidOperationException
                when message.StartsWith("Unexpected response prefix", StringComparison.Ordinal):
                return Of(RedisConnectionProblemKind.NotRedis);
            case SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound
                or SocketError.TryAgain or SocketError.NoData or SocketError.HostUnreachable
                or SocketError.NetworkUnreachable }:
                return Of(RedisConnectionProblemKind.Unreachable);
            case RedisConnectionException connection:
                return OfConnectionFailure(connection, Of, tls);
            case RedisTimeoutException or TimeoutException:
                return Of(RedisConnectionProblemKind.NotAnswering);
            default:
                return null;
        }
    }

    private static RedisConnectionProblem? OfConnectionFailure(
        RedisConnectionException exception, Func<RedisConnectionProblemKind, RedisConnectionProblem> of, bool tls)
    {
        var message = exception.Message;
        // Nothing read yet on the connection, or still establishing it: the failure is the handshake's.
        var inHandshake = message.Contains("0-read", StringComparison.Ordinal)
                          || message.Contains("ConnectedEstablishing", StringComparison.Ordinal)
                          || message.Contains("origin: ConnectedAsync", StringComparison.Ordinal);
        return exception.FailureType switch
        {
            ConnectionFailureType.ProtocolFailure => of(RedisConnectionProblemKind.NotRedis),
            ConnectionFailureType.UnableToResolvePhysicalConnection => of(RedisConnectionProblemKind.Unreachable),
            // The socket never opened (refused, or the name did not resolve).
            ConnectionFailureType.UnableToConnect
                when message.Contains("origin: BeginConnectAsync", StringComparison.Ordinal)
                => of(RedisConnectionProblemKind.Unreachable),
            // The socket opened but the handshake got no answer within connectTimeout.
            ConnectionFailureType.UnableToConnect => of(RedisConnectionProblemKind.NotAnswering),
            ConnectionFailureType.SocketClosed or ConnectionFailureType.SocketFailure when inHandshake && tls
                => of(RedisConnectionProblemKind.TlsNotSpokenByServer),
            ConnectionFailureType.SocketClosed or ConnectionFailureType.SocketFailure when inHandshake
                => of(RedisConnectionProblemKind.ClosedDuringHandshake),
            ConnectionFailureType.SocketClosed or ConnectionFailureType.SocketFailure
                => of(RedisConnectionProblemKind.ConnectionLost),
            // "No connection is active/available", "timed out in the backlog": the inner exception says why, if known.
            _ when message.Contains("no connection", StringComparison.OrdinalIgnoreCase)
                => of(RedisConnectionProblemKind.Connecting),
            _ => null,
        };
    }
}
