using Microsoft.Extensions.Logging;

namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>
/// Keeps the problem behind the latest connection failures of one multiplexer. StackExchange.Redis raises its
/// <c>ConnectionFailed</c> event only once per outage and, for the first connect, before the caller can subscribe; but
/// it hands every connection failure (each attempt, each TLS error) with its exception to the <see cref="ILogger"/> of
/// <c>ConfigurationOptions.LoggerFactory</c>. This is that logger factory: it logs nothing, it classifies.
/// </summary>
/// <remarks>
/// One attempt reports several failures (a refused password, then the resets it causes), so the most specific problem
/// seen lately is kept; a less specific one replaces it only once the specific one has not been seen for
/// <see cref="StaleAfter"/> (StackExchange.Redis retries at least that often), so a change of cause shows up then.
/// </remarks>
internal sealed class ConnectionFailureRecorder(SettingPhrase setting, bool passwordGiven, bool tls, TimeProvider time)
    : ILoggerFactory, ILogger
{
    /// <summary>How long the most specific problem stands without being seen again.</summary>
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly TaskCompletionSource _firstFailure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private (RedisConnectionProblem Problem, long SeenAt)? _current;

    /// <summary>Completes when the first failure is recorded.</summary>
    public Task FirstFailure => _firstFailure.Task;

    /// <summary>The problem behind the latest failures, or null when none was recorded since the last
    /// <see cref="Clear"/>.</summary>
    public RedisConnectionProblem? Current
    {
        get
        {
            lock (_gate)
                return _current?.Problem;
        }
    }

    /// <summary>Records a failure; ignores what says nothing about the connection.</summary>
    public void Record(Exception exception)
    {
        var problem = ConnectionFailureClassifier.Classify(exception, setting, passwordGiven, tls);
        if (problem is null)
            return;
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (_current is not { } current
                || problem.Specificity >= current.Problem.Specificity
                || time.GetElapsedTime(current.SeenAt, now) > StaleAfter)
                _current = (problem, now);
        }
        _firstFailure.TrySetResult();
    }

    /// <summary>Forgets the recorded problem (the connection is back).</summary>
    public void Clear()
    {
        lock (_gate)
            _current = null;
    }

    void ILogger.Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        // Failures come at Error; a disconnect StackExchange.Redis asked for itself comes at Information.
        if (exception is not null && logLevel >= LogLevel.Warning)
            Record(exception);
    }

    bool ILogger.IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    IDisposable? ILogger.BeginScope<TState>(TState state) => null;

    ILogger ILoggerFactory.CreateLogger(string categoryName) => this;

    void ILoggerFactory.AddProvider(ILoggerProvider provider)
    {
    }

    void IDisposable.Dispose()
    {
    }
}
