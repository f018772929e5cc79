using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.RedisStreams;
using OrdersFunctions.RedisStreams.Worker;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// Binds a stream entry to a stream-triggered function's parameters as the isolated worker does: the trigger
/// parameter as a POCO (System.Text.Json, case-insensitive), <c>string</c>, <c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>
/// or <see cref="RedisStreamMessage"/>; plus <see cref="FunctionContext"/> and <see cref="CancellationToken"/>.
/// A payload that does not deserialise throws, which fails the invocation (retried, then dead-lettered).
/// </summary>
internal sealed class StreamTriggerBinder
{
    // Exactly the isolated worker's default (WorkerOptions.Serializer): case-insensitive names and nothing more, so a
    // payload the Functions worker would refuse (a number written as a string, say) is refused here too.
    private static readonly JsonSerializerOptions PocoOptions = new() { PropertyNameCaseInsensitive = true };

    private enum Slot { Trigger, Context, Cancellation }

    private readonly Slot[] _slots;
    private readonly Type _triggerType;

    private StreamTriggerBinder(Slot[] slots, Type triggerType)
    {
        _slots = slots;
        _triggerType = triggerType;
    }

    /// <summary>The binder of <paramref name="function"/>: what goes where is decided once, not per entry.</summary>
    /// <exception cref="InvalidOperationException">A parameter cannot be bound (the message names it).</exception>
    public static StreamTriggerBinder For(FunctionDescriptor function)
    {
        var parameters = function.Method.GetParameters();
        var slots = new Slot[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            slots[i] = p == function.TriggerParameter ? Slot.Trigger
                : p.ParameterType == typeof(FunctionContext) ? Slot.Context
                : p.ParameterType == typeof(CancellationToken) ? Slot.Cancellation
                : throw new InvalidOperationException(
                    $"Function '{function.Name}': parameter '{p.Name}' cannot be bound by the local host. Stream functions take the trigger parameter, FunctionContext and CancellationToken.");
        }
        return new StreamTriggerBinder(slots, function.TriggerParameter.ParameterType);
    }

    public object?[] Bind(StreamMessage message, FunctionContext context, CancellationToken cancellationToken)
    {
        var arguments = new object?[_slots.Length];
        for (var i = 0; i < _slots.Length; i++)
        {
            arguments[i] = _slots[i] switch
            {
                Slot.Trigger => TriggerValue(_triggerType, message),
                Slot.Context => context,
                _ => cancellationToken,
            };
        }
        return arguments;
    }

    /// <summary>Binding data as the Functions host hands it to the worker: strings, headers as a JSON object.</summary>
    public static IReadOnlyDictionary<string, object?> BindingData(StreamMessage message)
    {
        var data = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["EntryId"] = message.EntryId,
            ["MessageId"] = message.MessageId,
            ["MessageType"] = message.Type,
            ["Stream"] = message.Stream,
            ["Group"] = message.Group,
            ["Consumer"] = message.Consumer,
            ["DeliveryCount"] = message.DeliveryCount.ToString(CultureInfo.InvariantCulture),
            ["Headers"] = JsonSerializer.Serialize(message.Headers),
        };
        if (message.PublishedAt is { } publishedAt)
            data["PublishedAt"] = publishedAt.ToString("O", CultureInfo.InvariantCulture);
        return data;
    }

    private static object? TriggerValue(Type type, StreamMessage message)
    {
        if (type == typeof(string)) return Encoding.UTF8.GetString(message.Payload.Span);
        if (type == typeof(byte[])) return message.Payload.ToArray();
        if (type == typeof(ReadOnlyMemory<byte>)) return message.Payload;
        if (type == typeof(RedisStreamMessage))
        {
            return new RedisStreamMessage
            {
                EntryId = message.EntryId,
                MessageId = message.MessageId,
                Type = message.Type,
                Payload = Encoding.UTF8.GetString(message.Payload.Span),
                Headers = new Dictionary<string, string>(message.Headers),
                DeliveryCount = message.DeliveryCount,
                Stream = message.Stream,
                Group = message.Group,
                Consumer = message.Consumer,
                PublishedAt = message.PublishedAt,
            };
        }
        try
        {
            return JsonSerializer.Deserialize(message.Payload.Span, type, PocoOptions);
        }
        catch (JsonException ex)
        {
            // The worker's wording, so logs and dead letters read the same under both hosts.
            throw new InvalidOperationException($"Cannot convert input parameter to type '{type.FullName}' from the payload of entry {message.EntryId}: {ex.Message}", ex);
        }
    }
}
