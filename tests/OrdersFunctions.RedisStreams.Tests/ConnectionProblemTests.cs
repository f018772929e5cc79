using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>
/// Each way a connection fails against a real server gets its own problem, naming the setting and never its value:
/// a password-protected redis-server with a TLS port (self-signed certificate) beside its plain one, a refusing port, a
/// port that never answers and one that answers HTTP. The server is this class's own (it sets a password).
/// </summary>
public sealed class ConnectionProblemTests : IAsyncLifetime
{
    private const string Setting = "RedisConnection";
    private const string Password = "s3cret-Pa55word";
    // Short connect timeouts so that the silent port is judged within seconds.
    private const string Fast = ",connectTimeout=1500";
    private static readonly TimeSpan Judged = TimeSpan.FromSeconds(30);

    private readonly TlsCertificateFiles _certificate = new();
    private readonly int _tlsPort = FreeTcpPort.Next();
    private RedisServerProcess? _server;

    private RedisServerProcess Server => _server ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        _server = await RedisServerProcess.StartAsync(extraArguments: _certificate.RedisArguments(_tlsPort));
        await Server.RequirePasswordAsync(Password);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        _certificate.Dispose();
    }

    [Fact]
    public Task WrongPassword_IsPasswordRejected() =>
        AssertJudgedAsync($"{Server.EndPoint},password=wrong-one{Fast}", RedisConnectionProblemKind.PasswordRejected);

    [Fact]
    public Task NoPasswordForAProtectedServer_IsPasswordRequired() =>
        AssertJudgedAsync($"{Server.EndPoint}{Fast}", RedisConnectionProblemKind.PasswordRequired);

    [Fact]
    public Task SslTrueAgainstThePlainPort_IsTlsNotSpokenByServer() =>
        AssertJudgedAsync($"{Server.EndPoint},password={Password},ssl=true{Fast}",
            RedisConnectionProblemKind.TlsNotSpokenByServer);

    [Fact]
    public Task PlainAgainstTheTlsPort_IsClosedDuringHandshake() =>
        AssertJudgedAsync($"127.0.0.1:{_tlsPort},password={Password}{Fast}",
            RedisConnectionProblemKind.ClosedDuringHandshake);

    [Fact]
    public Task SslTrueWithAnUntrustedCertificate_IsTlsCertificateRejected() =>
        AssertJudgedAsync($"127.0.0.1:{_tlsPort},password={Password},ssl=true{Fast}",
            RedisConnectionProblemKind.TlsCertificateRejected);

    [Fact]
    public async Task NothingListening_IsUnreachable()
    {
        using var refusing = new RefusingPort();
        await AssertJudgedAsync($"127.0.0.1:{refusing.Port}{Fast}", RedisConnectionProblemKind.Unreachable);
    }

    [Fact]
    public async Task APortThatNeverAnswers_IsNotAnswering()
    {
        using var silent = ScriptedPort.Silent();
        await AssertJudgedAsync($"{silent.EndPoint}{Fast}", RedisConnectionProblemKind.NotAnswering);
    }

    [Fact]
    public async Task SslTrueAgainstAPortThatNeverAnswers_StatusAnswersAtOnce_AndTheHandshakeIsGivenUp()
    {
        using var silent = ScriptedPort.Silent();
        await using var connections = RedisConnectionFactory.ForSetting(Setting, $"{silent.EndPoint},ssl=true{Fast}");

        // The first question starts the connect; it must not wait on the handshake, which the port never answers.
        var status = await Task.Run(() => connections.Status).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(status.IsConnected);

        // And the handshake is given up at the connect timeout (the connection closed), instead of holding a thread
        // forever; the problem is named.
        await Eventually.HoldsAsync(
            () => silent.ClosedByClient > 0, "the client to give up the handshake", timeout: Judged);
        Assert.NotEqual(RedisConnectionProblemKind.Connecting, connections.Status.Problem?.Kind);
    }

    [Fact]
    public async Task AnHttpServer_IsNotRedis()
    {
        using var http = ScriptedPort.AnswersHttp();
        await AssertJudgedAsync($"{http.EndPoint}{Fast}", RedisConnectionProblemKind.NotRedis);
    }

    [Fact]
    public async Task TheRightPassword_IsConnected()
    {
        var connectionString = $"{Server.EndPoint},password={Password}";
        await using var connections = RedisConnectionFactory.ForSetting(Setting, connectionString);

        await connections.StartConnectingAsync(TimeSpan.FromSeconds(10));

        await Eventually.HoldsAsync(() => connections.Status.IsConnected, "connected", timeout: Judged);
    }

    [Fact]
    public async Task SubscriberOutageLine_NamesTheProblemAndTheSetting()
    {
        var connectionString = $"{Server.EndPoint},password=wrong-one{Fast}";
        await using var connections = RedisConnectionFactory.ForSetting(Setting, connectionString);
        var logger = new LinesLogger();
        var options = new StreamSubscriberOptions
        {
            Stream = TestNames.Stream(), Group = TestNames.Group(), Consumer = TestNames.Consumer(),
        };
        await using var subscriber = new StreamSubscriber(connections, options, (_, _) => Task.CompletedTask, logger);

        await subscriber.StartAsync();

        static bool IsOutageLine(string line) => line.Contains("Redis is unavailable", StringComparison.Ordinal);
        await Eventually.HoldsAsync(() => logger.Lines.Any(IsOutageLine),
            "the subscriber's outage line", () => string.Join("\n", logger.Lines), Judged);
        var line = logger.Lines.First(IsOutageLine);
        Assert.Contains("Redis refused the password in app setting 'RedisConnection'", line);
        Assert.DoesNotContain("wrong-one", line);
    }

    private async Task AssertJudgedAsync(string connectionString, RedisConnectionProblemKind expected)
    {
        await using var connections = RedisConnectionFactory.ForSetting(Setting, connectionString);

        await connections.StartConnectingAsync(TimeSpan.FromSeconds(10));

        await Eventually.HoldsAsync(() => connections.Status.Problem?.Kind == expected,
            $"the connection judged {expected}",
            () => $"judged {connections.Status.Problem?.Kind}: {connections.Status.Problem?.Message}", Judged);
        var message = connections.Status.Problem!.Message;
        Assert.Contains($"'{Setting}'", message);
        Assert.DoesNotContain(Password, message);
        Assert.DoesNotContain("wrong-one", message);
        Assert.DoesNotContain("127.0.0.1", message);
    }

    private sealed class LinesLogger : ILogger<StreamSubscriber>
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => _lines.ToList();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) => _lines.Enqueue(formatter(state, exception));
    }
}
