using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Retention;
using OrdersFunctions.RedisStreams.Telemetry;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Consuming;

/// <summary>
/// Consumes one stream as one consumer of one consumer group and runs a handler for every entry, at least once.
/// <list type="bullet">
/// <item>Creates the group when missing (MKSTREAM, at <see cref="StreamSubscriberOptions.StartPosition"/>), and again
/// after NOGROUP.</item>
/// <item>Reads new entries with a blocking XREADGROUP over a dedicated connection; runs up to
/// <see cref="StreamSubscriberOptions.MaxConcurrency"/> handlers; acknowledges an entry only after its handler
/// returned (acknowledgements are batched).</item>
/// <item>A failed entry stays pending and is delivered again after a doubling backoff; after
/// <see cref="StreamSubscriberOptions.MaxDeliveries"/> deliveries it is written to the dead-letter stream and
/// acknowledged. An entry that is not a valid envelope is dead-lettered at once.</item>
/// <item>Entries idle longer than <see cref="StreamSubscriberOptions.ClaimMinIdle"/> on any consumer of the group are
/// claimed and handled here.</item>
/// <item><see cref="StopAsync"/> stops reading, still dispatches what it had read as handler slots free up, and waits
/// for the handlers, all within <see cref="StreamSubscriberOptions.ShutdownTimeout"/>; it acknowledges what finished
/// and leaves the rest pending.</item>
/// </list>
/// Start and stop once each; not reusable after stop. Thread-safe. The options are read once, by the constructor.
/// </summary>
public sealed partial class StreamSubscriber : IAsyncDisposable
{
    private const int NotStarted = 0, Running = 1, Stopped = 2;

    /// <summary>The longest <see cref="StartAsync"/> waits for Redis before it returns and leaves the connecting to the
    /// background (a host start-up must not wait out connect timeouts).</summary>
    public static readonly TimeSpan FirstAttemptWait = TimeSpan.FromSeconds(2);

    private readonly IRedisConnectionFactory _connections;
    private readonly StreamSubscriberOptions _options;
    private readonly StreamMessageHandler _handler;
    // Set for a batched subscriber (ForBatches): new entries go to it in batches; _handler then wraps it for the entries
    // handled one at a time (retries after a failed batch, entries claimed from other consumers).
    private readonly StreamBatchHandler? _batchHandler;
    private readonly ILogger _logger;
    private readonly string _stream;
    private readonly RedisKey _streamKey;
    private readonly string _group;
    private readonly string _consumer;
    private readonly RedisKey _deadLetterKey;
    private readonly TagList _tags;
    private readonly string _activityName;
    private readonly TimeProvider _time;
    private readonly RetentionRunner _retention;

    // One slot per running handler (a batch takes one); the read loop and the claim sweep wait for a free slot before
    // dispatching, which bounds the entries held in memory to one read plus MaxConcurrency handlers' worth (one entry
    // each, or MaxBatchSize for a batched subscriber).
    private readonly SemaphoreSlim _slots;
    // Entries this subscriber is handling or has handled but not yet acknowledged; the sweep never reclaims them.
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    // Entries whose last delivery here failed: when they are due again and why they failed.
    private readonly ConcurrentDictionary<string, RetryState> _retries = new(StringComparer.Ordinal);
    // When the read loop sent its latest XREADGROUP (a monotonic TimeProvider timestamp; NoReadYet before the first).
    // Entries delivered since then may be in a reply the loop has not marked in flight yet, so the sweep leaves them alone.
    private long _latestReadSentAt = NoReadYet;
    private readonly OutageTracker _outage;
    private readonly AckBatcher _acks;
    private readonly CancellationTokenSource _stopReading = new();
    // Cancelled ShutdownTimeout after a stop began (or by the stop's token): until then read entries are still
    // dispatched and running handlers awaited.
    private readonly CancellationTokenSource _drainDeadline = new();
    private readonly CancellationTokenSource _cancelHandlers = new();
    private readonly SemaphoreSlim _sweepWake = new(0);
    private readonly object _lifecycle = new();
    // The start path's first try at Redis: StartAsync waits for it (briefly), to return with the group in place.
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _startReturned;

    private IDatabase _database = null!;
    private IConnectionMultiplexer? _reader;
    private Task _startup = Task.CompletedTask;
    private Task _readLoop = Task.CompletedTask;
    private Task _sweepLoop = Task.CompletedTask;
    private Task? _stopTask;
    private int _state;

    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid (all are listed).</exception>
    public StreamSubscriber(
        IRedisConnectionFactory connections,
        StreamSubscriberOptions options,
        StreamMessageHandler handler,
        ILogger<StreamSubscriber>? logger = null)
        : this(connections, options, handler, logger, TimeProvider.System)
    {
    }

    internal StreamSubscriber(
        IRedisConnectionFactory connections,
        StreamSubscriberOptions options,
        StreamMessageHandler handler,
        ILogger<StreamSubscriber>? logger,
        TimeProvider time)
        : this(connections, options, handler, null, logger, time)
    {
    }

    private StreamSubscriber(
        IRedisConnectionFactory connections,
        StreamSubscriberOptions options,
        StreamMessageHandler? handler,
        StreamBatchHandler? batchHandler,
        ILogger<StreamSubscriber>? logger,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(options);
        if (handler is null && batchHandler is null)
            throw new ArgumentNullException(nameof(handler));
        StreamSubscriberOptionsValidator.ThrowIfInvalid(options);
        _connections = connections;
        _options = options.Clone();
        _batchHandler = batchHandler;
        _handler = handler ?? ((message, cancellationToken) => batchHandler!([message], cancellationToken));
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = time;
        _stream = _options.Stream;
        _streamKey = _stream;
        _group = _options.Group;
        _consumer = _options.Consumer;
        _deadLetterKey = _options.EffectiveDeadLetterStream;
        _tags = new TagList { { StreamsTelemetry.StreamTag, _stream }, { StreamsTelemetry.GroupTag, _group } };
        _activityName = _stream + " process";
        _slots = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
        _outage = new OutageTracker(_logger, _stream, _group);
        _acks = new AckBatcher(() => _database, _streamKey, _group, OnAcknowledged, _outage, _logger);
        _retention = new RetentionRunner(connections, _options, _logger, _time);
    }

    /// <summary>
    /// A subscriber that hands new entries to <paramref name="handler"/> in batches of up to
    /// <see cref="StreamSubscriberOptions.MaxBatchSize"/>, waiting at most <see cref="StreamSubscriberOptions.MaxBatchWait"/>
    /// to fill one. The guarantees hold per entry: an entry is acknowledged only when the invocation that carried it
    /// succeeded; after a failed batch each of its entries is retried alone (see <see cref="StreamBatchHandler"/>), so it
    /// is dead-lettered alone once it reaches <see cref="StreamSubscriberOptions.MaxDeliveries"/>. Entries claimed from
    /// a crashed consumer are also handled one at a time. <see cref="StreamSubscriberOptions.MaxConcurrency"/> bounds the
    /// batches running at once.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid (all are listed).</exception>
    public static StreamSubscriber ForBatches(
        IRedisConnectionFactory connections,
        StreamSubscriberOptions options,
        StreamBatchHandler handler,
        ILogger<StreamSubscriber>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return new StreamSubscriber(connections, options, null, handler, logger, TimeProvider.System);
    }

    internal static StreamSubscriber ForBatches(
        IRedisConnectionFactory connections,
        StreamSubscriberOptions options,
        StreamBatchHandler handler,
        ILogger<StreamSubscriber>? logger,
        TimeProvider time) => new(connections, options, null, handler ?? throw new ArgumentNullException(nameof(handler)), logger, time);

    /// <summary>True when this subscriber hands new entries to a batch handler.</summary>
    public bool IsBatched => _batchHandler is not null;

    /// <summary>The stream this subscriber reads.</summary>
    public string Stream => _stream;

    /// <summary>The consumer group it reads in.</summary>
    public string Group => _group;

    /// <summary>Its consumer name in the group.</summary>
    public string Consumer => _consumer;

    /// <summary>
    /// Starts connecting in the background: once Redis answers, ensures the group exists, registers this consumer and
    /// starts the read and claim loops (<see cref="Reading"/> completes then). Returns as soon as that first attempt
    /// succeeded, or after at most <see cref="FirstAttemptWait"/> when Redis does not answer; the subscriber then keeps
    /// trying in the background (one warning per outage) and starts consuming when Redis is reachable, so a host that
    /// starts while Redis is down is not held up.
    /// </summary>
    /// <exception cref="InvalidOperationException">Started twice, or after stop.</exception>
    /// <exception cref="RedisServerException">Redis answered the first attempt with an error that waiting does not cure,
    /// e.g. the key exists but is not a stream.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, Running, NotStarted) != NotStarted)
            throw new InvalidOperationException($"The subscriber for '{_stream}' in group '{_group}' was already started; create a new one.");
        _startup = Task.Run(() => ConnectAndStartAsync(_stopReading.Token), CancellationToken.None);
        try
        {
            // When Redis answers, the group exists and this consumer is registered once StartAsync returns, as callers
            // (and the scale monitor) expect; when it does not, the host must not wait for it.
            await _firstAttempt.Task.WaitAsync(FirstAttemptWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Redis is slow or down: the background start goes on.
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping while starting; its StopAsync ends the background start.
        }
        finally
        {
            Volatile.Write(ref _startReturned, 1);
        }
    }

    /// <summary>Completes once the subscriber has reached Redis, ensured its group and begun reading (never faults);
    /// cancelled when it is stopped before that.</summary>
    public Task Reading => _reading.Task;

    /// <summary>
    /// Stops reading and drains in-flight handlers (see the class remarks). Idempotent: later calls wait for the first.
    /// <paramref name="cancellationToken"/> cuts the wait for handlers short, as the shutdown timeout does.
    /// The consumer stays in the group, with whatever entries remain pending on it.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_lifecycle)
        {
            if (_stopTask is null)
            {
                var previous = Interlocked.Exchange(ref _state, Stopped);
                if (previous != Running)
                    _reading.TrySetCanceled(CancellationToken.None);
                _stopTask = previous == Running ? StopCoreAsync(cancellationToken) : Task.CompletedTask;
            }
            return _stopTask;
        }
    }

    /// <summary>Stops (see <see cref="StopAsync"/>) and releases the subscriber's resources.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopReading.Dispose();
        _drainDeadline.Dispose();
        // _slots, _sweepWake and _cancelHandlers stay undisposed on purpose: a handler that ignored cancellation may
        // still return after the shutdown timeout and release its slot; none of them holds an unmanaged resource here.
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        _drainDeadline.CancelAfter(_options.ShutdownTimeout);
        using var stopToken = cancellationToken.Register(_drainDeadline.Cancel);
        _stopReading.Cancel();
        // A background start still waiting for Redis sees the cancellation and ends; waiting for it is bounded by the
        // caller's token, and a start that finishes later disposes what it connected itself.
        await SwallowAsync(_startup.WaitAsync(cancellationToken)).ConfigureAwait(false);
        // Closing the dedicated connection is what ends a read blocked inside Redis.
        if (_reader is not null)
            await _reader.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        await SwallowAsync(_readLoop).ConfigureAwait(false);
        await SwallowAsync(_sweepLoop).ConfigureAwait(false);

        // Every slot back in hand means every handler has returned.
        var acquired = 0;
        try
        {
            for (; acquired < _options.MaxConcurrency; acquired++)
                await _slots.WaitAsync(_drainDeadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Log.ShutdownTimedOut(_logger, _consumer, _stream, _group, _options.ShutdownTimeout, _options.MaxConcurrency - acquired);
            _cancelHandlers.Cancel();
        }

        await _acks.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        if (_reader is not null)
            await _reader.DisposeAsync().ConfigureAwait(false);
        Log.Stopped(_logger, _consumer, _stream, _group);
    }

    /// <summary>The start path, retried with backoff until Redis answers or the subscriber is stopped.</summary>
    private async Task ConnectAndStartAsync(CancellationToken stopping)
    {
        var delay = new RetryDelay();
        IConnectionMultiplexer reader;
        while (true)
        {
            try
            {
                var shared = await _connections.GetSharedAsync(stopping).ConfigureAwait(false);
                _database = shared.GetDatabase();
                if (await EnsureGroupAsync().ConfigureAwait(false))
                    Log.GroupCreated(_logger, _group, _stream, StartPositionText());
                reader = await _connections.ConnectDedicatedAsync(ReaderClientName(), stopping).ConfigureAwait(false);
                break;
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                _firstAttempt.TrySetResult();
                _reading.TrySetCanceled(CancellationToken.None);
                return;
            }
            catch (Exception ex) when (RedisErrors.IsTransient(ex))
            {
                _outage.Failed(ex, "connect");
            }
            catch (Exception ex) when (Volatile.Read(ref _startReturned) == 0 && _firstAttempt.TrySetException(ex))
            {
                // StartAsync is still waiting and reports this error to its caller, who treats the start as failed.
                _reading.TrySetCanceled(CancellationToken.None);
                return;
            }
            catch (Exception ex)
            {
                Log.UnexpectedError(_logger, ex, "start", _stream, _group);
            }
            _firstAttempt.TrySetResult();
            await PauseAsync(delay.Next(), stopping).ConfigureAwait(false);
        }

        if (stopping.IsCancellationRequested)
        {
            // Stopped while connecting: nothing reads, so release the connection here.
            await reader.DisposeAsync().ConfigureAwait(false);
            _firstAttempt.TrySetResult();
            _reading.TrySetCanceled(CancellationToken.None);
            return;
        }
        _reader = reader;
        _outage.Succeeded();
        _acks.Start();
        _readLoop = Task.Run(() => ReadLoopAsync(reader, _stopReading.Token), CancellationToken.None);
        _sweepLoop = Task.Run(() => SweepLoopAsync(_stopReading.Token), CancellationToken.None);
        Log.Started(_logger, _consumer, _stream, _group);
        _firstAttempt.TrySetResult();
        _reading.TrySetResult();
    }

    /// <summary>Creates the group unless it exists; true when this call created it.</summary>
    private async Task<bool> EnsureGroupAsync()
    {
        var position = _options.StartPosition == StreamStartPosition.NewEntriesOnly ? StreamPosition.NewMessages : StreamPosition.Beginning;
        var created = true;
        try
        {
            await _database.StreamCreateConsumerGroupAsync(_streamKey, _group, position, createStream: true).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another instance (or an earlier run) created it: exactly what we want.
            created = false;
        }
        await RegisterConsumerAsync().ConfigureAwait(false);
        return created;
    }

    private string StartPositionText() => _options.StartPosition == StreamStartPosition.NewEntriesOnly ? "$" : "0";

    /// <summary>
    /// Makes this consumer a member of the group now rather than at its first read, so that once StartAsync returns,
    /// XINFO CONSUMERS (and so the scale monitor, the order status and an operator) sees every started instance, and
    /// an instance whose first read is still on its way is not mistaken for one that is missing.
    /// </summary>
    private async Task RegisterConsumerAsync()
    {
        try
        {
            await _database.ExecuteAsync("XGROUP", "CREATECONSUMER", _streamKey, _group, _consumer).ConfigureAwait(false);
        }
        catch (RedisServerException ex)
        {
            // Redis before 6.2 ("unknown subcommand"), an ACL without xgroup|createconsumer, a look-alike server: only
            // visibility is lost, as the first XREADGROUP creates the consumer anyway, so starting must not fail.
            Log.ConsumerNotRegistered(_logger, _consumer, _group, _stream, ex.Message);
        }
    }

    private async Task RecreateGroupAsync()
    {
        await EnsureGroupAsync().ConfigureAwait(false);
        Log.GroupRecreated(_logger, _group, _stream, StartPositionText());
    }

    private void OnAcknowledged(List<string> entryIds)
    {
        foreach (var id in entryIds)
            _inFlight.TryRemove(id, out _);
    }

    private string ReaderClientName()
    {
        // CLIENT SETNAME refuses spaces; keep the name readable in CLIENT LIST.
        var raw = $"{_consumer}:{_group}:reader";
        var chars = raw.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (char.IsWhiteSpace(chars[i]) || char.IsControl(chars[i]))
                chars[i] = '_';
        return new string(chars);
    }

    private static async Task SwallowAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch
        {
            // The loops log their own failures; stopping only needs them finished.
        }
    }

    /// <summary>Why and until when a failed entry waits for its next delivery.</summary>
    private sealed record RetryState(DateTimeOffset DueAt, string ErrorType, string ErrorMessage);
}
