using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>
/// <see cref="IRedisConnectionFactory"/> over a StackExchange.Redis connection string (single server or cluster;
/// password and TLS as the string says). The shared multiplexer is connected once, on first use or when
/// <see cref="StartConnectingAsync"/> or <see cref="Status"/> asks; dedicated multiplexers for blocking reads are new
/// on every call. <c>abortConnect</c> is forced off so that an app started while Redis is down keeps retrying in the
/// background instead of failing for good. Every connection failure is classified as it happens
/// (<see cref="RedisConnectionProblem"/>), through the options' <c>LoggerFactory</c>, which this factory sets.
/// </summary>
public sealed class RedisConnectionFactory : IRedisConnectionFactory
{
    /// <summary>
    /// Client name of the shared multiplexer when the connection string sets none (visible in CLIENT LIST).
    /// </summary>
    public const string DefaultClientName = "orders-functions";

    // A blocked XREADGROUP may wait up to StreamSubscriberOptions' BlockTimeout maximum (1 min); the dedicated
    // connection's command timeout must outlast it or SE.Redis would report a healthy wait as a timeout. Only the
    // asynchronous command timeout is raised: every read is async, and SE.Redis derives an unset ConnectTimeout from
    // SyncTimeout, so raising that made each connect attempt wait 75 s while Redis was down.
    private static readonly TimeSpan DedicatedCommandTimeout = TimeSpan.FromSeconds(75);

    /// <summary>
    /// How often a dedicated connection's multiplexer runs its heartbeat (StackExchange.Redis's default is 1 s). The
    /// heartbeat checks commands for timeouts, sends a keep-alive when the connection was idle, and retries a lost
    /// connection; on a reader whose one command is a blocking read with a 75 s timeout, that the read loop sends again
    /// at least every BlockTimeout (5 s by default), a 1 s beat finds nothing to do, yet it woke the thread pool every
    /// second: about a third of the reader connection's idle CPU (docs/engine.md, "Idle cost"). The cost of 5 s: a
    /// reader whose connection broke reconnects up to about 4 s later than with 1 s, and a stalled read is reported at
    /// 75–80 s instead of 75–76 s.
    /// </summary>
    internal static readonly TimeSpan DedicatedHeartbeatInterval = TimeSpan.FromSeconds(5);

    private readonly ConfigurationOptions _configuration;
    private readonly string? _settingName;
    private readonly ConnectionFailureRecorder _failures;
    private readonly Lazy<Task<ConnectionMultiplexer>> _shared;
    private int _disposed;

    /// <summary>Creates a factory from a StackExchange.Redis connection string, e.g. <c>localhost:6379</c> or
    /// <c>name.redis.cache.windows.net:6380,password=…,ssl=True</c>.</summary>
    /// <exception cref="ArgumentException">The string is empty or not a valid StackExchange.Redis
    /// connection string.</exception>
    public RedisConnectionFactory(string connectionString)
        : this(ParseConnectionString(connectionString))
    {
    }

    /// <summary>Creates a factory from parsed options (they are copied; later changes to them have no effect; their
    /// <c>LoggerFactory</c> is replaced by the failure classifier).</summary>
    /// <param name="configuration">The connection options.</param>
    /// <param name="settingName">The app setting they come from (e.g. <c>RedisConnection</c>), for problems to name.
    /// </param>
    public RedisConnectionFactory(ConfigurationOptions configuration, string? settingName = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.EndPoints.Count == 0)
            throw new ArgumentException(
                "The Redis configuration names no endpoint: give at least one host:port.", nameof(configuration));
        _configuration = configuration.Clone();
        _configuration.AbortOnConnectFail = false;
        if (string.IsNullOrWhiteSpace(_configuration.ClientName))
            _configuration.ClientName = DefaultClientName;
        _settingName = settingName;
        _failures = new ConnectionFailureRecorder(new SettingPhrase(settingName),
            passwordGiven: !string.IsNullOrEmpty(_configuration.Password), tls: _configuration.Ssl,
            TimeProvider.System);
        _configuration.LoggerFactory = _failures;
        BoundTlsHandshake(_configuration);
        // Lazy<Task> with ExecutionAndPublication: exactly one connect for every concurrent first caller. Started on
        // the thread pool: StackExchange.Redis connects synchronously up to its TLS handshake, and whoever first asks
        // (Status, a health probe, the host's start) must get an answer at once.
        _shared = new Lazy<Task<ConnectionMultiplexer>>(() => Task.Run(ConnectSharedAsync),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// The factory for a connection setting's value: a <see cref="RedisConnectionFactory"/> when the value is a usable
    /// connection string, else one whose <see cref="IRedisConnectionFactory.Status"/> and every connect report the
    /// setting's problem (<see cref="RedisConnectionProblem.OfSetting"/>: unset, unresolved Key Vault reference, not
    /// connection-string syntax). So a bad value stops nothing: it is named wherever Redis is needed.
    /// </summary>
    public static IRedisConnectionFactory ForSetting(string settingName, string? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(settingName);
        return RedisConnectionProblem.OfSetting(settingName, value) is { } problem
            ? new UnusableRedisConnection(problem)
            : new RedisConnectionFactory(ConfigurationOptions.Parse(value!.Trim()), settingName);
    }

    /// <inheritdoc />
    public RedisConnectionStatus Status
    {
        get
        {
            if (Volatile.Read(ref _disposed) != 0)
                return new RedisConnectionStatus(RedisConnectionProblem.Create(RedisConnectionProblemKind.Other,
                    new SettingPhrase(_settingName), "the connection was closed"));
            var connect = _shared.Value;
            if (connect.IsCompletedSuccessfully && connect.Result.IsConnected)
                return RedisConnectionStatus.Connected;
            if (connect.IsFaulted)
                return new RedisConnectionStatus(DescribeFailure(connect.Exception!.GetBaseException()));
            return new RedisConnectionStatus(_failures.Current ?? RedisConnectionProblem.Create(
                RedisConnectionProblemKind.Connecting, new SettingPhrase(_settingName)));
        }
    }

    /// <inheritdoc />
    public async Task StartConnectingAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var first = Task.WhenAny(_shared.Value, _failures.FirstFailure);
        try
        {
            await first.WaitAsync(maxWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Still connecting (a server that accepts and never answers): Status says so; the connect goes on.
        }
    }

    /// <inheritdoc />
    public RedisConnectionProblem DescribeFailure(Exception exception)
    {
        var own = RedisConnectionProblem.OfFailure(exception, _settingName,
            passwordGiven: !string.IsNullOrEmpty(_configuration.Password), tls: _configuration.Ssl);
        // A command's failure may say only "no connection"; what the connection attempts met is more specific.
        return _failures.Current is { } known && known.Specificity > own.Specificity ? known : own;
    }

    /// <inheritdoc />
    public async Task<IConnectionMultiplexer> GetSharedAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return await _shared.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IConnectionMultiplexer> ConnectDedicatedAsync(
        string clientName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var options = DedicatedOptions(_configuration, clientName);
        var connect = Task.Run(() => ConnectionMultiplexer.ConnectAsync(options));
        try
        {
            return await connect.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The connect goes on in the background; dispose what it yields so no multiplexer leaks.
            _ = connect.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>
    /// StackExchange.Redis 2.8 runs the TLS handshake with blocking reads, without a timeout of its own: against a
    /// server that accepts and never answers, or a plain Redis (it reads a TLS ClientHello as the start of a command
    /// and waits for its end of line), the connecting thread would wait forever and the connect timeout would never
    /// fire. A receive timeout on the socket bounds those reads at the connect timeout; it applies only to blocking
    /// calls, so the connection's own (asynchronous) reads are unaffected.
    /// </summary>
    internal static void BoundTlsHandshake(ConfigurationOptions options)
    {
        if (!options.Ssl)
            return;
        var before = options.BeforeSocketConnect;
        var timeout = options.ConnectTimeout;
        options.BeforeSocketConnect = (endPoint, type, socket) =>
        {
            before?.Invoke(endPoint, type, socket);
            socket.ReceiveTimeout = timeout;
            socket.SendTimeout = timeout;
        };
    }

    /// <summary>The options of a dedicated (blocking-read) connection, derived from the shared connection's.</summary>
    internal static ConfigurationOptions DedicatedOptions(ConfigurationOptions shared, string clientName)
    {
        var options = shared.Clone();
        options.ClientName = clientName;
        // Pinned before the command timeout is raised: connecting keeps the connection string's
        // timeout (5 s by default).
        options.ConnectTimeout = shared.ConnectTimeout;
        options.AsyncTimeout = Math.Max(options.AsyncTimeout, (int)DedicatedCommandTimeout.TotalMilliseconds);
        // A reader needs no pub/sub connection for SE.Redis's primary-change broadcasts.
        options.ConfigurationChannel = "";
        if (options.HeartbeatInterval < DedicatedHeartbeatInterval)
            options.HeartbeatInterval = DedicatedHeartbeatInterval;
        return options;
    }

    /// <summary>Closes the shared multiplexer if it was connected. Dedicated ones belong to their callers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || !_shared.IsValueCreated)
            return;
        try
        {
            var shared = await _shared.Value.ConfigureAwait(false);
            await shared.DisposeAsync().ConfigureAwait(false);
        }
        catch (RedisConnectionException)
        {
            // Nothing was connected; nothing to close.
        }
    }

    private async Task<ConnectionMultiplexer> ConnectSharedAsync()
    {
        var shared = await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
        // Once back, the causes of the outage are history; the next one is recorded afresh.
        shared.ConnectionRestored += (_, _) => _failures.Clear();
        return shared;
    }

    private static ConfigurationOptions ParseConnectionString(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ArgumentException(
                "The Redis connection string is empty: set it to e.g. 'localhost:6379'.", nameof(connectionString));
        try
        {
            return ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException ex)
        {
            // Do not echo the string: it may hold a password.
            throw new ArgumentException(
                $"The Redis connection string is not valid StackExchange.Redis syntax: {ex.Message}",
                nameof(connectionString), ex);
        }
    }
}
