using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// Runs one engine <see cref="StreamSubscriber"/> per stream-triggered function, with the options the Functions host
/// would use, and invokes the function for each entry in its own service scope. The engine acks only when the
/// function returned; a throw means retry, then dead-letter. Stopping drains in-flight invocations (the engine's
/// ShutdownTimeout) and leaves the rest pending for other instances. Starting does not wait for Redis: the subscribers
/// start together, each returns within the engine's <see cref="StreamSubscriber.FirstAttemptWait"/> and, when Redis is
/// down, connects in the background, so Kestrel opens its port (and PlaceOrder answers 503) in the meantime.
/// </summary>
internal sealed partial class StreamFunctionsService(
    IReadOnlyList<StreamFunctionPlan> plans,
    IServiceProvider services,
    ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger("OrdersFunctions.LocalHost.StreamFunctions");
    private readonly Dictionary<(string Setting, string? Value), IRedisConnectionFactory> _connections = [];
    private readonly List<StreamSubscriber> _subscribers = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The plans were resolved before the host started (StreamFunctionPlan.ForAll): bad options stopped it there.
        foreach (var (function, options, setting, value) in plans)
        {
            var binder = StreamTriggerBinder.For(function);
            var definition = LocalFunctionContext.Define(function);
            // A value that cannot be a connection is not fatal: the subscriber names its problem in its outage line
            // and keeps trying, as the app's routes answer 503 naming it.
            if (!_connections.TryGetValue((setting, value), out var factory))
                _connections[(setting, value)] = factory = RedisConnectionFactory.ForSetting(setting, value);
            var invoker = new FunctionInvoker(function);
            var subscriber = binder.IsBatched
                ? StreamSubscriber.ForBatches(factory, options,
                    (messages, ct) => InvokeBatchAsync(definition, binder, invoker, messages, ct),
                    loggers.CreateLogger<StreamSubscriber>())
                : new StreamSubscriber(factory, options,
                    (message, ct) => InvokeAsync(definition, binder, invoker, message, ct),
                    loggers.CreateLogger<StreamSubscriber>());
            _subscribers.Add(subscriber);
            _ = LogWhenConsumingAsync(subscriber, function.Name);
        }
        await Task.WhenAll(_subscribers.Select(s => s.StartAsync(cancellationToken)));
    }

    /// <summary>"Consuming" is logged once the subscriber reads, not when it was merely started with Redis
    /// down.</summary>
    private async Task LogWhenConsumingAsync(StreamSubscriber subscriber, string function)
    {
        try
        {
            await subscriber.Reading;
            LogStarted(function, subscriber.Stream, subscriber.Group, subscriber.Consumer);
        }
        catch (OperationCanceledException)
        {
            // Stopped before Redis answered: it never consumed.
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_subscribers.Select(s => s.StopAsync(cancellationToken)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subscriber in _subscribers)
            await subscriber.DisposeAsync();
        foreach (var factory in _connections.Values)
            await factory.DisposeAsync();
    }

    private async Task InvokeAsync(
        FunctionDefinition definition,
        StreamTriggerBinder binder,
        FunctionInvoker invoker,
        StreamMessage message,
        CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var context = new LocalFunctionContext(
            definition, scope.ServiceProvider, () => StreamTriggerBinder.BindingData(message), cancellationToken);
        var arguments = binder.Bind(message, context, cancellationToken);
        await invoker.InvokeAsync(scope.ServiceProvider, arguments);
    }

    /// <summary>One invocation, in one scope, for the whole batch.</summary>
    private async Task InvokeBatchAsync(
        FunctionDefinition definition,
        StreamTriggerBinder binder,
        FunctionInvoker invoker,
        IReadOnlyList<StreamMessage> messages,
        CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var context = new LocalFunctionContext(
            definition, scope.ServiceProvider, () => StreamTriggerBinder.BatchBindingData(messages), cancellationToken);
        var arguments = binder.BindBatch(messages, context, cancellationToken);
        await invoker.InvokeAsync(scope.ServiceProvider, arguments);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Function}: consuming stream {Stream} in group {Group} as consumer {Consumer}")]
    private partial void LogStarted(string function, string stream, string group, string consumer);
}
