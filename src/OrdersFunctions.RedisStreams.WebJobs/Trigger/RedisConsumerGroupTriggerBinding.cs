using System.Reflection;
using Microsoft.Azure.WebJobs.Host.Bindings;
using Microsoft.Azure.WebJobs.Host.Listeners;
using Microsoft.Azure.WebJobs.Host.Protocols;
using Microsoft.Azure.WebJobs.Host.Triggers;
using Microsoft.Extensions.Logging;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// The trigger binding of one function: creates its listener and turns each delivered <see cref="StreamMessage"/> (or a
/// plain string from the admin API) into the parameter value and the binding data.
/// </summary>
public sealed class RedisConsumerGroupTriggerBinding : ITriggerBinding
{
    private readonly ParameterInfo _parameter;
    private readonly string _functionName;
    private readonly StreamSubscriberOptions _options;
    private readonly RedisStreamScaleOptions _scaleOptions;
    private readonly IRedisConnectionFactory _connections;
    private readonly ILoggerFactory _loggerFactory;
    private readonly bool _batched;

    internal RedisConsumerGroupTriggerBinding(
        ParameterInfo parameter,
        string functionName,
        StreamSubscriberOptions options,
        RedisStreamScaleOptions scaleOptions,
        IRedisConnectionFactory connections,
        ILoggerFactory loggerFactory,
        bool batched = false)
    {
        _parameter = parameter;
        _functionName = functionName;
        _options = options;
        _scaleOptions = scaleOptions;
        _connections = connections;
        _loggerFactory = loggerFactory;
        _batched = batched;
    }

    /// <summary>True when the function takes a batch (an array parameter).</summary>
    public bool IsBatched => _batched;

    /// <summary>The options this function's subscriber runs with (after every override).</summary>
    public StreamSubscriberOptions Options => _options;

    /// <summary>The listener hands the executor the engine's message (a batch: the messages) as is.</summary>
    public Type TriggerValueType => _batched ? typeof(StreamMessage[]) : typeof(StreamMessage);

    public IReadOnlyDictionary<string, Type> BindingDataContract =>
        _batched ? RedisStreamBindingData.BatchContract : RedisStreamBindingData.Contract;

    public Task<ITriggerData> BindAsync(object value, ValueBindingContext context)
    {
        if (_batched)
            return Task.FromResult(BindBatch(value));
        var message = value switch
        {
            StreamMessage delivered => delivered,
            // The admin API (POST /admin/functions/{name} {"input": "..."}) passes its input string here: it is taken
            // as the payload, so operators can replay an entry (e.g. one copied from the dead-letter stream) by hand.
            string input => RedisStreamBindingData.FromManualInput(input, _options),
            null => throw new ArgumentNullException(nameof(value)),
            _ => throw new InvalidOperationException(
                $"The RedisConsumerGroupTrigger of function '{_functionName}' cannot bind a " +
                $"{value.GetType().FullName}: it takes a stream entry or a string payload."),
        };

        var valueProvider = new RedisStreamValueProvider(message, _parameter.ParameterType);
        ITriggerData data = new TriggerData(valueProvider, RedisStreamBindingData.Create(message));
        return Task.FromResult(data);
    }

    private ITriggerData BindBatch(object value)
    {
        var messages = value switch
        {
            StreamMessage[] delivered => delivered,
            // The admin API's input string: a batch of one with that payload.
            string input => [RedisStreamBindingData.FromManualInput(input, _options)],
            null => throw new ArgumentNullException(nameof(value)),
            _ => throw new InvalidOperationException(
                $"The RedisConsumerGroupTrigger of function '{_functionName}' cannot bind a " +
                $"{value.GetType().FullName}: it takes a batch of stream entries or a string payload."),
        };
        var valueProvider = new RedisStreamBatchValueProvider(messages, _parameter.ParameterType);
        return new TriggerData(valueProvider, RedisStreamBindingData.CreateForBatch(messages, _options));
    }

    public Task<IListener> CreateListenerAsync(ListenerFactoryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        IListener listener = new RedisStreamListener(
            context.Executor, context.Descriptor.Id, _functionName, _options, _scaleOptions, _connections,
            _loggerFactory, _batched);
        return Task.FromResult(listener);
    }

    public ParameterDescriptor ToParameterDescriptor() => new RedisConsumerGroupTriggerParameterDescriptor
    {
        Name = _parameter.Name,
        Type = "RedisConsumerGroupTrigger",
        Stream = _options.Stream,
        Group = _options.Group,
    };
}
