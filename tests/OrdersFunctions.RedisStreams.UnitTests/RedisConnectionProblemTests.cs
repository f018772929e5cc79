using System.Security.Authentication;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.UnitTests;

/// <summary>A connection setting's value is judged before any connect, and what StackExchange.Redis reports is named,
/// always with the setting and never with its value. The failure texts are StackExchange.Redis 2.8's, as seen against
/// real servers (the engine's ConnectionProblemTests check the same against redis-server).</summary>
public sealed class RedisConnectionProblemTests
{
    private const string Setting = "RedisConnection";
    private const string KeyVaultReference = "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/redis/)";

    [Theory]
    [InlineData(null, RedisConnectionProblemKind.NotSet)]
    [InlineData("  ", RedisConnectionProblemKind.NotSet)]
    [InlineData(KeyVaultReference, RedisConnectionProblemKind.UnresolvedReference)]
    [InlineData("a=b", RedisConnectionProblemKind.InvalidSyntax)]
    [InlineData("host:6379,ssl=maybe", RedisConnectionProblemKind.InvalidSyntax)]
    [InlineData("redis://:hunter2@host:6379", RedisConnectionProblemKind.InvalidSyntax)]
    [InlineData("host:notaport", RedisConnectionProblemKind.NoEndpoint)]
    public void OfSetting_AnUnusableValue_IsNamedWithTheSetting(string? value, RedisConnectionProblemKind expected)
    {
        var problem = RedisConnectionProblem.OfSetting(Setting, value);

        Assert.Equal(expected, problem?.Kind);
        Assert.Contains("App setting 'RedisConnection'", problem!.Message);
        if (value is { Length: > 3 })
            Assert.DoesNotContain(value.Trim(), problem.Message);
        Assert.DoesNotContain("hunter2", problem.Message);
        Assert.DoesNotContain("maybe", problem.Message);
        Assert.DoesNotContain('\n', problem.Message);
    }

    [Fact]
    public void OfSetting_AnUnknownOption_NamesTheOption() =>
        Assert.Contains("option 'a' is unknown", RedisConnectionProblem.OfSetting(Setting, "a=b")!.Message);

    [Theory]
    [InlineData("127.0.0.1:6379")]
    [InlineData("name.redis.azure.net:10000,password=x,ssl=True,abortConnect=False")]
    public void OfSetting_AConnectionString_IsNoProblem(string value) =>
        Assert.Null(RedisConnectionProblem.OfSetting(Setting, value));

    [Fact]
    public async Task ForSetting_AnUnresolvedReference_ReportsItOnEveryConnect_AsAConnectionFailure()
    {
        await using var connections = RedisConnectionFactory.ForSetting(Setting, KeyVaultReference);

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => connections.GetSharedAsync());

        Assert.Equal(RedisConnectionProblemKind.UnresolvedReference, connections.Status.Problem?.Kind);
        Assert.Equal(connections.Status.Problem!.Message, error.Message);
        Assert.Equal(RedisConnectionProblemKind.UnresolvedReference, connections.DescribeFailure(error).Kind);
    }

    [Fact]
    public void BacklogTimeout_WithANoauthInside_IsPasswordRejected_WhenAPasswordWasGiven()
    {
        var failure = Connection(ConnectionFailureType.UnableToConnect,
            "The message timed out in the backlog attempting to send because no connection became available (5000ms)"
            + " - Last Connection Exception: AuthenticationFailure (None, last-recv: 449)"
            + " on 127.0.0.1:16390/Interactive",
            Connection(ConnectionFailureType.AuthenticationFailure,
                "AuthenticationFailure (None, last-recv: 449) on 127.0.0.1:16390/Interactive, Flushed/ComputeResult",
                new Exception(
                    "Error: NOAUTH Authentication required. Verify if the Redis password provided is correct.")));

        Assert.Equal(RedisConnectionProblemKind.PasswordRejected, Classify(failure, passwordGiven: true).Kind);
        Assert.Equal(RedisConnectionProblemKind.PasswordRequired, Classify(failure, passwordGiven: false).Kind);
    }

    [Fact]
    public void RefusedConnect_IsUnreachable() =>
        Assert.Equal(RedisConnectionProblemKind.Unreachable, Classify(Connection(ConnectionFailureType.UnableToConnect,
            "UnableToConnect on 127.0.0.1:1/Interactive, Initializing/NotStarted, last: NONE,"
            + " origin: BeginConnectAsync"))
            .Kind);

    [Fact]
    public void HandshakeNeverAnswered_IsNotAnswering() =>
        Assert.Equal(RedisConnectionProblemKind.NotAnswering, Classify(Connection(ConnectionFailureType.UnableToConnect,
            "UnableToConnect (None, 0-read, last-recv: 0) on 127.0.0.1:16392/Interactive, origin: ResetNonConnected"))
            .Kind);

    [Fact]
    public void ClosedBeforeAnyByte_IsClosedDuringHandshake_OrTlsNotSpoken_WhenTlsWasAskedFor()
    {
        var closed = Connection(ConnectionFailureType.SocketClosed,
            "SocketClosed (ReadEndOfStream, 0-read, last-recv: 0) on 127.0.0.1:16391/Interactive, last: ECHO");

        Assert.Equal(RedisConnectionProblemKind.ClosedDuringHandshake, Classify(closed).Kind);
        Assert.Equal(RedisConnectionProblemKind.TlsNotSpokenByServer, Classify(closed, tls: true).Kind);
    }

    [Fact]
    public void EstablishedConnectionClosed_IsConnectionLost() =>
        Assert.Equal(RedisConnectionProblemKind.ConnectionLost, Classify(Connection(ConnectionFailureType.SocketClosed,
            "SocketClosed (ReadEndOfStream, last-recv: 7) on 127.0.0.1:6379/Interactive, Idle/MarkProcessed,"
            + " last: PING, origin: ReadFromPipe, state: ConnectedEstablished")).Kind);

    [Fact]
    public void UntrustedCertificate_IsTlsCertificateRejected() =>
        Assert.Equal(RedisConnectionProblemKind.TlsCertificateRejected, Classify(new AuthenticationException(
            "The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot"),
            tls: true).Kind);

    [Fact]
    public void AnotherProtocolsAnswer_IsNotRedis() =>
        Assert.Equal(RedisConnectionProblemKind.NotRedis, Classify(Connection(ConnectionFailureType.InternalFailure,
            "InternalFailure (ReadEndOfStream, last-recv: 0) on 127.0.0.1:16393/Interactive",
            new InvalidOperationException("Unexpected response prefix: <"))).Kind);

    [Fact]
    public void WithoutASettingName_TheConnectionStringIsNamed() =>
        Assert.StartsWith("Nothing accepts connections at the address in the Redis connection string",
            RedisConnectionProblem.OfFailure(
                Connection(
                    ConnectionFailureType.UnableToConnect,
                    "UnableToConnect on h:1/Interactive, origin: BeginConnectAsync"),
                settingName: null, passwordGiven: false, tls: false).Message);

    private static RedisConnectionException Connection(
        ConnectionFailureType type, string message, Exception? inner = null) =>
        new(type, message, inner);

    private static RedisConnectionProblem Classify(Exception exception, bool passwordGiven = false, bool tls = false) =>
        RedisConnectionProblem.OfFailure(exception, Setting, passwordGiven, tls);
}
