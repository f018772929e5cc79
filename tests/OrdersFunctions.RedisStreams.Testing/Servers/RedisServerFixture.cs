using StackExchange.Redis;
using Testcontainers.Redis;
using Xunit;

namespace OrdersFunctions.RedisStreams.Testing.Servers;

/// <summary>
/// One Redis server for a test collection (use it as an xunit collection fixture; the collection definition must sit
/// in the test assembly). It finds a Redis in this order:
/// <list type="number">
/// <item><c>ORDERS_TEST_REDIS</c>: an explicit StackExchange.Redis connection string (CI services, a remote
/// box);</item>
/// <item>Testcontainers.Redis, when a Docker engine answers a ping within a second (a Docker client alone is not
/// enough, and is detected fast);</item>
/// <item><c>redis-server</c> on PATH, started as a child process on a free 127.0.0.1 port with its own temp directory,
/// snapshots off, append-only file as <see cref="AppendOnly"/> says; killed on dispose;</item>
/// <item>otherwise initialisation fails with <see cref="NoRedisMessage"/>.</item>
/// </list>
/// Tests must not assume an empty server: each uses its own key names (see <see cref="TestNames"/>).
/// </summary>
public class RedisServerFixture : IAsyncLifetime, IRedisTestServer
{
    /// <summary>The environment variable holding an explicit connection string.</summary>
    public const string ConnectionStringVariable = "ORDERS_TEST_REDIS";

    /// <summary>The one message a developer sees when no Redis can be found.</summary>
    public const string NoRedisMessage =
        "No Redis for tests: install redis-server (apt-get install -y redis-server), or set ORDERS_TEST_REDIS, " +
        "or run Docker";

    private RedisServerProcess? _process;
    private RedisContainer? _container;
    private ConnectionMultiplexer? _connection;
    private string? _connectionString;

    /// <summary>Whether a fixture-started redis-server keeps an append-only file. Off by default (faster); subclasses
    /// that restart the server turn it on.</summary>
    protected virtual bool AppendOnly => false;

    /// <summary>Whether the fixture may use <c>ORDERS_TEST_REDIS</c> and Docker. Subclasses that must own the process
    /// (to restart it) say no.</summary>
    protected virtual bool AllowExternalServer => true;

    /// <summary>Where the Redis came from.</summary>
    public RedisServerSource Source { get; private set; }

    /// <summary>True when this fixture started the redis-server process itself (so <see cref="RestartAsync"/>
    /// works).</summary>
    public bool OwnsProcess => _process is not null;

    public string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException("The fixture is not initialised.");

    public string Description => Source switch
    {
        RedisServerSource.EnvironmentVariable => $"Redis from {ConnectionStringVariable}",
        RedisServerSource.Container => "Redis in a Testcontainers container",
        _ => $"redis-server on {_process?.EndPoint}",
    };

    public async Task InitializeAsync()
    {
        var explicitConnection = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (AllowExternalServer && !string.IsNullOrWhiteSpace(explicitConnection))
        {
            Source = RedisServerSource.EnvironmentVariable;
            _connectionString = explicitConnection;
        }
        else if (AllowExternalServer
                 && await DockerEngine.AnswersAsync().ConfigureAwait(false)
                 && await TryStartContainerAsync().ConfigureAwait(false))
        {
            Source = RedisServerSource.Container;
        }
        else if (RedisServerProcess.FindExecutable() is not null)
        {
            _process = await RedisServerProcess.StartAsync(AppendOnly).ConfigureAwait(false);
            Source = RedisServerSource.LocalProcess;
            _connectionString = WithDefaults(_process.EndPoint);
        }
        else
        {
            throw new InvalidOperationException(AllowExternalServer
                ? NoRedisMessage
                : "This fixture restarts its own redis-server, so it needs one on PATH: " +
                  $"{RedisServerProcess.InstallHint}.");
        }
        _connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",allowAdmin=true")
            .ConfigureAwait(false);
    }

    public Task<IConnectionMultiplexer> GetConnectionAsync() =>
        Task.FromResult<IConnectionMultiplexer>(
            _connection ?? throw new InvalidOperationException("The fixture is not initialised."));

    /// <summary>
    /// Restarts the fixture's redis-server on the same port with the same data directory (SIGKILL when
    /// <paramref name="kill"/>, a crash; else SHUTDOWN NOSAVE) and returns when it answers again, its AOF loaded.
    /// </summary>
    /// <exception cref="InvalidOperationException">The fixture does not own the server (env var or
    /// container).</exception>
    public async Task RestartAsync(bool kill = true)
    {
        if (_process is null)
            throw new InvalidOperationException(
                $"RestartAsync needs a redis-server started by the fixture, but this one is {Description}. " +
                $"Unset {ConnectionStringVariable} or use a fixture with AllowExternalServer = false.");
        await _process.RestartAsync(kill).ConfigureAwait(false);
    }

    /// <summary>Stops the fixture's redis-server without starting it again (an outage); <see cref="RestartAsync"/> or
    /// <see cref="StartAgainAsync"/> brings it back.</summary>
    public Task StopServerAsync(bool kill = true) =>
        (_process ?? throw new InvalidOperationException(
            $"StopServerAsync needs a redis-server started by the fixture, not {Description}."))
        .StopAsync(kill);

    /// <summary>Starts the fixture's stopped redis-server again (same port, same directory).</summary>
    public Task StartAgainAsync() =>
        (_process ?? throw new InvalidOperationException(
            $"StartAgainAsync needs a redis-server started by the fixture, not {Description}."))
        .RestartAsync(kill: true);

    public async Task DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync().ConfigureAwait(false);
        if (_process is not null)
            await _process.DisposeAsync().ConfigureAwait(false);
        if (_container is not null)
            await _container.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Connection-string defaults for a fixture-owned server: keep retrying through restarts.</summary>
    private static string WithDefaults(string endpoint) => $"{endpoint},abortConnect=false,connectTimeout=5000";

    private async Task<bool> TryStartContainerAsync()
    {
        try
        {
            var container = new RedisBuilder("redis:7.2").Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await container.StartAsync(timeout.Token).ConfigureAwait(false);
            _container = container;
            _connectionString = container.GetConnectionString() + ",abortConnect=false";
            return true;
        }
        catch (Exception ex)
        {
            // Docker answered but could not run the image (offline registry, no pull rights): use a local server.
            Console.Error.WriteLine(
                $"Testcontainers could not start Redis ({ex.GetType().Name}: {ex.Message}); " +
                "trying redis-server on PATH.");
            return false;
        }
    }
}

/// <summary>A fixture that always starts its own redis-server with the append-only file on, so a test may restart or
/// crash it (<see cref="RedisServerFixture.RestartAsync"/>) and check that nothing acknowledged was lost. Ignores
/// <c>ORDERS_TEST_REDIS</c> and Docker on purpose.</summary>
public sealed class RestartableRedisServerFixture : RedisServerFixture
{
    protected override bool AppendOnly => true;

    protected override bool AllowExternalServer => false;
}
