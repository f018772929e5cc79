using System.Runtime.ExceptionServices;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Azure.WebJobs.Host.Executors;
using Microsoft.Azure.WebJobs.Host.Listeners;
using Microsoft.Azure.WebJobs.Host.Scale;
using Microsoft.Extensions.Logging;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// Runs one engine <see cref="StreamSubscriber"/> for one function. Every delivery is one invocation through the host's
/// <see cref="ITriggeredFunctionExecutor"/>; a failed invocation is reported to the engine as a failure (by throwing),
/// so the entry is not acknowledged but retried and finally dead-lettered. Exposes the group's lag and pending count to
/// the host's scale machinery.
/// </summary>
public sealed partial class RedisStreamListener : IListener, IScaleMonitorProvider, ITargetScalerProvider
{
    private readonly ITriggeredFunctionExecutor _executor;
    private readonly string _functionName;
    private readonly StreamSubscriberOptions _options;
    private readonly IRedisConnectionFactory _connections;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly RedisStreamScaleMonitor _scaleMonitor;
    private readonly RedisStreamTargetScaler _targetScaler;
    private readonly bool _batched;
    private StreamSubscriber? _subscriber;
    private int _disposed;

    internal RedisStreamListener(
        ITriggeredFunctionExecutor executor,
        string functionId,
        string functionName,
        StreamSubscriberOptions options,
        RedisStreamScaleOptions scaleOptions,
        IRedisConnectionFactory connections,
        ILoggerFactory loggerFactory,
        bool batched = false)
    {
        _batched = batched;
        _executor = executor;
        _functionName = functionName;
        _options = options;
        _connections = connections;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger(RedisStreamsLogCategories.Trigger);
        var scalers = RedisStreamScalers.Create(functionId, options, scaleOptions, connections);
        _scaleMonitor = scalers.Monitor;
        _targetScaler = scalers.TargetScaler;
    }

    /// <summary>Starts the subscriber without holding the host's start-up hostage: it returns within the engine's
    /// <see cref="StreamSubscriber.FirstAttemptWait"/> even when Redis is down, and the subscriber starts consuming in
    /// the background once Redis answers (logged then, not before).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_subscriber is not null)
            throw new InvalidOperationException(
                $"The listener of function '{_functionName}' has already been started.");
        // The engine's logs go under the host's trigger category too: the Functions host drops any other category.
        var subscriberLogger = new Logger<StreamSubscriber>(new PrefixedLoggerFactory(_loggerFactory));
        _subscriber = _batched
            ? StreamSubscriber.ForBatches(_connections, _options, HandleBatchAsync, subscriberLogger)
            : new StreamSubscriber(_connections, _options, HandleAsync, subscriberLogger);
        _ = LogWhenListeningAsync(_subscriber);
        await _subscriber.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task LogWhenListeningAsync(StreamSubscriber subscriber)
    {
        try
        {
            await subscriber.Reading.ConfigureAwait(false);
            LogStarted(_functionName, _options.Stream, _options.Group, _options.Consumer);
        }
        catch (OperationCanceledException)
        {
            // Stopped before Redis answered: it never listened.
        }
    }

    /// <summary>Stops reading and lets in-flight invocations finish (up to the engine's ShutdownTimeout or until the
    /// host's token fires); what did not finish stays pending for another instance.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var subscriber = _subscriber;
        if (subscriber is null)
            return;
        await subscriber.StopAsync(cancellationToken).ConfigureAwait(false);
        LogStopped(_functionName, _options.Stream, _options.Group);
    }

    /// <summary>The host cancels a listener that failed to start; the subscriber's own stop does the rest.</summary>
    public void Cancel()
    {
        // Nothing is in flight before StartAsync returns; a started subscriber is stopped by StopAsync/Dispose.
    }

    /// <remarks>IListener.Dispose is synchronous, but the engine releases its connection asynchronously: blocking
    /// here could stall the host's shutdown, so the release runs in the background and only logs a failure. The host
    /// calls StopAsync first, so by now nothing is in flight.</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        var subscriber = Interlocked.Exchange(ref _subscriber, null);
        if (subscriber is null)
            return;
        _ = DisposeInBackgroundAsync(subscriber);
    }

    public IScaleMonitor GetMonitor() => _scaleMonitor;

    public ITargetScaler GetTargetScaler() => _targetScaler;

    private async Task DisposeInBackgroundAsync(StreamSubscriber subscriber)
    {
        try
        {
            await subscriber.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogDisposeFailed(ex, _functionName);
        }
    }

    private async Task HandleAsync(StreamMessage message, CancellationToken cancellationToken)
    {
        var input = new TriggeredFunctionData
        {
            TriggerValue = message,
            TriggerDetails = new Dictionary<string, string>
            {
                [RedisStreamBindingData.EntryId] = message.EntryId,
                [RedisStreamBindingData.MessageId] = message.MessageId,
                [RedisStreamBindingData.DeliveryCount] =
                    message.DeliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        var result = await _executor.TryExecuteAsync(input, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
            return;
        ThrowFailure(result, message.EntryId);
    }

    /// <summary>One invocation for the whole batch; its failure fails every entry of it (the engine then retries
    /// them one by one, each as a batch of one).</summary>
    private async Task HandleBatchAsync(IReadOnlyList<StreamMessage> messages, CancellationToken cancellationToken)
    {
        var batch = messages as StreamMessage[] ?? [.. messages];
        var input = new TriggeredFunctionData
        {
            TriggerValue = batch,
            TriggerDetails = new Dictionary<string, string>
            {
                ["BatchSize"] = batch.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["FirstEntryId"] = batch.Length > 0 ? batch[0].EntryId : "",
                ["LastEntryId"] = batch.Length > 0 ? batch[^1].EntryId : "",
            },
        };
        var result = await _executor.TryExecuteAsync(input, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
            return;
        ThrowFailure(result, batch.Length > 0 ? batch[0].EntryId : "");
    }

    private void ThrowFailure(FunctionResult result, string entryId)
    {
        // Throwing is how the engine learns of the failure: it then leaves the entry pending for a retry. It throws the
        // function's own error, not the host's FunctionInvocationException around it, because the dead-letter entry
        // records the type and message of what it catches and operators need the real reason there.
        var cause = FunctionError(result.Exception);
        if (cause is null)
            throw new RedisStreamFunctionFailedException(_functionName, entryId);
        ExceptionDispatchInfo.Capture(HostFailure.Unwrap(cause)).Throw();
    }

    private static Exception? FunctionError(Exception? exception)
    {
        while (exception is FunctionInvocationException or AggregateException && exception.InnerException is not null)
            exception = exception.InnerException;
        return exception;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Function {FunctionName} listens to stream {Stream} in group {Group} as consumer {Consumer}")]
    private partial void LogStarted(string functionName, string stream, string group, string consumer);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Function {FunctionName} stopped listening to stream {Stream} in group {Group}")]
    private partial void LogStopped(string functionName, string stream, string group);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Releasing the Redis stream subscriber of function {FunctionName} failed")]
    private partial void LogDisposeFailed(Exception exception, string functionName);
}
