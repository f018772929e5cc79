using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.DeadLetters;
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
/// acknowledged in one step. An entry that is not a valid envelope is dead-lettered at once.</item>
/// <item>Entries idle longer than <see cref="StreamSubscriberOptions.ClaimMinIdle"/> on any consumer of the group are
/// claimed and handled here.</item>
/// <item><see cref="StopAsync"/> stops reading, still dispatches what it had read as handler slots free up, and waits
/// for the handlers, all within <see cref="StreamSubscriberOptions.ShutdownTimeout"/>; it acknowledges what finished
/// and leaves the rest pending.</item>
/// </list>
/// The parts: a <see cref="ReadLoop"/> and a <see cref="ClaimSweep"/> that ask one <see cref="DeliveryLedger"/> what
/// they may take; <see cref="Deliveries"/> that run and settle; and collaborators the sweep's timer calls:
/// <see cref="ConsumerCleanup"/>, retention (<see cref="RetentionRunner"/>), and the dead-letter counts.
/// Start and stop once each; not reusable after stop. Thread-safe. The options are read once, by the constructor.
/// </summary>
public sealed class StreamSubscriber : IAsyncDisposable
{
    private const int NotStarted = 0, Running = 1, Stopped = 2;

    /// <summary>The longest <see cref="StartAsync"/> waits for Redis before it returns and leaves the connecting to the
    /// background (a host start-up must not wait out connect timeouts).</summary>
    public static readonly TimeSpan FirstAttemptWait = TimeSpan.FromSeconds(2);

    private readonly IRedisConnectionFactory _connections;
    private readonly SubscriberContext _context;
    private readonly StreamBatchHandler? _batchHandler;
    private readonly HandlerSlots _slots;
    private readonly AckBatcher _acks;
    private readonly GroupMembership _membership;
    private readonly ReadLoop _readLoop;
    private readonly ClaimSweep _sweep;
    private readonly ConsumerCleanup _cleanup;
    private readonly RetentionRunner _retention;
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

    private IConnectionMultiplexer? _reader;
    private Task _startup = Task.CompletedTask;
    private Task _readTask = Task.CompletedTask;
    private Task _sweepTask = Task.CompletedTask;
    private Task? _stopTask;
    private int _state;

    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid
    /// (all are listed).</exception>
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
        _batchHandler = batchHandler;
        var copy = options.Clone();
        var log = logger ?? (ILogger)NullLogger.Instance;
        _context = new SubscriberContext(copy, log, time, connections.DescribeFailure);
        var ledger = new DeliveryLedger(copy, time);
        _slots = new HandlerSlots(copy.MaxConcurrency);
        _acks = new AckBatcher(() => _context.Database, _context.StreamKey, copy.Group, ledger.Acknowledged,
            _context.Outage, log);
        var deadLetters = new DeadLetterWriter(copy.Stream, copy.Group, copy.EffectiveDeadLetterStream,
            copy.DeadLetterMaxAge);
        // After a failed batch each entry is retried alone, as a batch of one.
        var single = handler ?? ((message, cancellationToken) => batchHandler!([message], cancellationToken));
        var deliveries = new Deliveries(_context, ledger, _slots, _acks, deadLetters, single, batchHandler,
            _cancelHandlers.Token, WakeSweepFor);
        _membership = new GroupMembership(_context);
        _readLoop = new ReadLoop(_context, ledger, _slots, deliveries, _membership, batchHandler is not null);
        _sweep = new ClaimSweep(_context, ledger, _slots, deliveries);
        _cleanup = new ConsumerCleanup(_context);
        _retention = new RetentionRunner(connections, copy, log, time);
    }

    /// <summary>
    /// A subscriber that hands new entries to <paramref name="handler"/> in batches of up to
    /// <see cref="StreamSubscriberOptions.MaxBatchSize"/>, waiting at most
    /// <see cref="StreamSubscriberOptions.MaxBatchWait"/> to fill one. The guarantees hold per entry: an entry is
    /// acknowledged only when the invocation that carried it succeeded; after a failed batch each of its entries is
    /// retried alone (see <see cref="StreamBatchHandler"/>), so it is dead-lettered alone once it reaches
    /// <see cref="StreamSubscriberOptions.MaxDeliveries"/>. Entries claimed from a crashed consumer are also handled
    /// one at a time. <see cref="StreamSubscriberOptions.MaxConcurrency"/> bounds the batches running at once.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid
    /// (all are listed).</exception>
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
        TimeProvider time) =>
        new(connections, options, null, handler ?? throw new ArgumentNullException(nameof(handler)), logger, time);

    /// <summary>True when this subscriber hands new entries to a batch handler.</summary>
    public bool IsBatched => _batchHandler is not null;

    /// <summary>The stream this subscriber reads.</summary>
    public string Stream => _context.Stream;

    /// <summary>The consumer group it reads in.</summary>
    public string Group => _context.Group;

    /// <summary>Its consumer name in the group.</summary>
    public string Consumer => _context.Consumer;

    /// <summary>
    /// Starts connecting in the background: once Redis answers, ensures the group exists, registers this consumer and
    /// starts the read and claim loops (<see cref="Reading"/> completes then). Returns as soon as that first attempt
    /// succeeded, or after at most <see cref="FirstAttemptWait"/> when Redis does not answer; the subscriber then keeps
    /// trying in the background (one warning per outage) and starts consuming when Redis is reachable, so a host that
    /// starts while Redis is down is not held up.
    /// </summary>
    /// <exception cref="InvalidOperationException">Started twice, or after stop.</exception>
    /// <exception cref="RedisServerException">Redis answered the first attempt with an error that waiting does not
    /// cure, e.g. the key exists but is not a stream.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, Running, NotStarted) != NotStarted)
            throw new InvalidOperationException(
                $"The subscriber for '{Stream}' in group '{Group}' was already started; create a new one.");
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
        // The slots, _sweepWake and _cancelHandlers stay undisposed on purpose: a handler that ignored cancellation may
        // still return after the shutdown timeout and release its slot; none of them holds an unmanaged resource here.
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        _drainDeadline.CancelAfter(_context.Options.ShutdownTimeout);
        using var stopToken = cancellationToken.Register(_drainDeadline.Cancel);
        _stopReading.Cancel();
        // A background start still waiting for Redis sees the cancellation and ends; waiting for it is bounded by the
        // caller's token, and a start that finishes later disposes what it connected itself.
        await SwallowAsync(_startup.WaitAsync(cancellationToken)).ConfigureAwait(false);
        // Closing the dedicated connection is what ends a read blocked inside Redis.
        if (_reader is not null)
            await _reader.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        await SwallowAsync(_readTask).ConfigureAwait(false);
        await SwallowAsync(_sweepTask).ConfigureAwait(false);

        var running = await _slots.DrainAsync(_drainDeadline.Token).ConfigureAwait(false);
        if (running > 0)
        {
            Log.ShutdownTimedOut(_context.Logger, Consumer, Stream, Group, _context.Options.ShutdownTimeout, running);
            _cancelHandlers.Cancel();
        }

        await _acks.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        if (_reader is not null)
            await _reader.DisposeAsync().ConfigureAwait(false);
        Log.Stopped(_context.Logger, Consumer, Stream, Group);
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
                _context.Database = shared.GetDatabase();
                if (await _membership.EnsureAsync().ConfigureAwait(false))
                    Log.GroupCreated(_context.Logger, Group, Stream, _membership.StartPositionText);
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
                _context.Outage.Failed(ex, "connect");
            }
            catch (Exception ex) when (Volatile.Read(ref _startReturned) == 0 && _firstAttempt.TrySetException(ex))
            {
                // StartAsync is still waiting and reports this error to its caller, who treats the start as failed.
                _reading.TrySetCanceled(CancellationToken.None);
                return;
            }
            catch (Exception ex)
            {
                Log.UnexpectedError(_context.Logger, ex, "start", Stream, Group);
            }
            _firstAttempt.TrySetResult();
            await Attempt.PauseAsync(delay.Next(), stopping).ConfigureAwait(false);
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
        _context.Outage.Succeeded();
        _acks.Start();
        _readTask = Task.Run(() => _readLoop.RunAsync(reader, _stopReading.Token, _drainDeadline.Token),
            CancellationToken.None);
        _sweepTask = Task.Run(() => HousekeepingLoopAsync(_stopReading.Token), CancellationToken.None);
        _ = CompleteDeadLetterCountsAsync(_stopReading.Token);
        Log.Started(_context.Logger, Consumer, Stream, Group);
        _firstAttempt.TrySetResult();
        _reading.TrySetResult();
    }

    /// <summary>
    /// Every ClaimInterval, or sooner when a failed entry is due: a claim sweep, then the collaborators that keep the
    /// group and the stream tidy (dead-consumer cleanup, retention), each at its own pace.
    /// </summary>
    private async Task HousekeepingLoopAsync(CancellationToken stopping)
    {
        var nextDue = (DateTimeOffset?)null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _sweepWake.WaitAsync(_sweep.DelayUntilNext(nextDue), stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                nextDue = await _sweep.RunOnceAsync(stopping).ConfigureAwait(false);
                await _cleanup.RunIfDueAsync().ConfigureAwait(false);
                await _retention.RunIfDueAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (RedisErrors.IsNoGroup(ex))
            {
                await Attempt.RunAsync(_membership.RecreateAsync, "create group", _context, stopping)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisErrors.IsTransient(ex))
            {
                _context.Outage.Failed(ex, "claim");
            }
            catch (Exception ex)
            {
                Log.UnexpectedError(_context.Logger, ex, "claim sweep", Stream, Group);
            }
        }
    }

    /// <summary>A failed entry is due sooner than the next sweep: wake it (one pending wake-up is enough, so a burst of
    /// failures does not queue one sweep, one XPENDING, per failure).</summary>
    private void WakeSweepFor(TimeSpan backoff)
    {
        if (backoff < _context.Options.ClaimInterval && _sweepWake.CurrentCount == 0)
            _sweepWake.Release();
    }

    /// <summary>Dead letters written by a version without counts are counted once, in the background, in bounded
    /// steps; a failure is logged and the next start tries again (the overview also finishes it).</summary>
    private async Task CompleteDeadLetterCountsAsync(CancellationToken stopping)
    {
        try
        {
            await DeadLetterCounts.EnsureCompleteAsync(_context.Database, _context.Options.EffectiveDeadLetterStream,
                _context.Options.DeadLetterMaxAge, stopping).ConfigureAwait(false);
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            Log.UnexpectedError(_context.Logger, ex, "dead-letter count", Stream, Group);
        }
    }

    private string ReaderClientName()
    {
        // CLIENT SETNAME refuses spaces; keep the name readable in CLIENT LIST.
        var raw = $"{Consumer}:{Group}:reader";
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
}
