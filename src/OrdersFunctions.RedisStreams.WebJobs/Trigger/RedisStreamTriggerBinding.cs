using System.Reflection;
using Microsoft.Azure.WebJobs.Host.Bindings;
using Microsoft.Azure.WebJobs.Host.Listeners;
using Microsoft.Azure.WebJobs.Host.Protocols;
using Microsoft.Azure.WebJobs.Host.Triggers;
using Microsoft.Extensions.Logging;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// The trigger binding of one function: creates its listener and turns each delivered <see cref="StreamMessage"/> (or a
/// plain string from the admin API) into the parameter value and the binding data.
/// </summary>
public sealed class RedisStreamTriggerBinding : ITriggerBinding
{
    private readonly ParameterInfo _parameter;
    private readonly string _functionName;
    private readonly StreamSubscriberOptions _options;
    private readonly IRedisConnectionFactory _connections;
    private readonly ILoggerFactory _loggerFactory;

    internal RedisStreamTriggerBinding(
        ParameterInfo parameter,
        string functionName,
        StreamSubscriberOptions options,
        IRedisConnectionFactory connections,
        ILoggerFactory loggerFactory)
    {
        _parameter = parameter;
        _functionName = functionName;
        _options = options;
        _connections = connections;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The options this function's subscriber runs with (after every override).</summary>
    public StreamSubscriberOptions Options => _options;

    /// <summary>The listener hands the executor the engine's message as is.</summary>
    public Type TriggerValueType => typeof(StreamMessage);

    public IReadOnlyDictionary<string, Type> BindingDataContract => RedisStreamBindingData.Contract;

    public Task<ITriggerData> BindAsync(object value, ValueBindingContext context)
    {
        var message = value switch
        {
            StreamMessage delivered => delivered,
            // The admin API (POST /admin/functions/{name} {"input": "..."}) passes its input string here: it is taken
            // as the payload, so operators can replay an entry (e.g. one copied from the dead-letter stream) by hand.
            string input => RedisStreamBindingData.FromManualInput(input, _options),
            null => throw new ArgumentNullException(nameof(value)),
            _ => throw new InvalidOperationException(
                $"The RedisStreamTrigger of function '{_functionName}' cannot bind a {value.GetType().FullName}: it takes a stream entry or a string payload."),
        };

        var valueProvider = new RedisStreamValueProvider(message, _parameter.ParameterType);
        ITriggerData data = new TriggerData(valueProvider, RedisStreamBindingData.Create(message));
        return Task.FromResult(data);
    }

    public Task<IListener> CreateListenerAsync(ListenerFactoryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        IListener listener = new RedisStreamListener(
            context.Executor, context.Descriptor.Id, _functionName, _options, _connections, _loggerFactory);
        return Task.FromResult(listener);
    }

    public ParameterDescriptor ToParameterDescriptor() => new RedisStreamTriggerParameterDescriptor
    {
        Name = _parameter.Name,
        Type = "RedisStreamTrigger",
        Stream = _options.Stream,
        Group = _options.Group,
    };
}
