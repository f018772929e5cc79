using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Worker;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// Binds a stream entry to a stream-triggered function's parameters as the isolated worker does: the trigger
/// parameter as a POCO (System.Text.Json, case-insensitive), <c>string</c>, <c>byte[]</c>,
/// <c>ReadOnlyMemory&lt;byte&gt;</c> or <see cref="RedisStreamMessage"/>; plus <see cref="FunctionContext"/> and
/// <see cref="CancellationToken"/>.
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
        IsBatched = IsBatch(triggerType);
    }

    /// <summary>True when the function takes a batch: its trigger has <c>IsBatched = true</c> and an array
    /// parameter.</summary>
    public bool IsBatched { get; }

    /// <summary>An array parameter other than <c>byte[]</c> (one binary payload), as the Worker SDK counts
    /// it.</summary>
    private static bool IsBatch(Type type) => type.IsArray && type != typeof(byte[]) && type.GetArrayRank() == 1;

    /// <summary>The binder of <paramref name="function"/>: what goes where is decided once, not per entry.</summary>
    /// <exception cref="InvalidOperationException">A parameter cannot be bound (the message names it).</exception>
    public static StreamTriggerBinder For(FunctionDescriptor function)
    {
        var parameters = function.Method.GetParameters();
        var slots = new Slot[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            // By position, not by reference: two threads reflecting over the same method at once can each get their
            // own ParameterInfo objects (the runtime caches them without a lock), and tests start hosts in parallel.
            slots[i] = p.Position == function.TriggerParameter.Position ? Slot.Trigger
                : p.ParameterType == typeof(FunctionContext) ? Slot.Context
                : p.ParameterType == typeof(CancellationToken) ? Slot.Cancellation
                : throw new InvalidOperationException(
                    $"Function '{function.Name}': parameter '{p.Name}' cannot be bound by the local host. " +
                    "Stream functions take the trigger parameter, FunctionContext and CancellationToken.");
        }
        var triggerType = function.TriggerParameter.ParameterType;
        var batched = function.StreamTrigger?.IsBatched ?? false;
        // The worker's build refuses the first and binds the second as one value that an array cannot take; say so
        // here.
        if (batched && !IsBatch(triggerType))
            throw new InvalidOperationException(
                $"Function '{function.Name}': its RedisConsumerGroupTrigger has IsBatched = true, but parameter " +
                $"'{function.TriggerParameter.Name}' is a {triggerType.Name}: take an array " +
                "(e.g. OrderPlaced[], string[], byte[][] or RedisStreamMessage[]) or remove IsBatched.");
        if (!batched && IsBatch(triggerType))
            throw new InvalidOperationException(
                $"Function '{function.Name}': parameter '{function.TriggerParameter.Name}' is an array " +
                $"({triggerType.Name}): set IsBatched = true on its RedisConsumerGroupTrigger to receive batches.");
        return new StreamTriggerBinder(slots, triggerType);
    }

    /// <summary>The arguments for one invocation with a batch.</summary>
    public object?[] BindBatch(
        IReadOnlyList<StreamMessage> messages, FunctionContext context, CancellationToken cancellationToken) =>
        Arguments(BatchValue(_triggerType.GetElementType()!, messages), context, cancellationToken);

    /// <summary>A batch's binding data as the Functions host hands it to the worker: <c>Entries</c> (one object per
    /// entry: EntryId, MessageId, MessageType, DeliveryCount, Headers, PublishedAt), <c>EntryIdArray</c> and
    /// <c>DeliveryCountArray</c> as JSON arrays, and the stream, group and consumer as strings.</summary>
    public static IReadOnlyDictionary<string, object?> BatchBindingData(IReadOnlyList<StreamMessage> messages)
    {
        var first = messages.Count > 0 ? messages[0] : null;
        var entries = messages.Select(m => new
        {
            m.EntryId,
            m.MessageId,
            MessageType = m.Type,
            m.DeliveryCount,
            m.Headers,
            PublishedAt = m.PublishedAt?.ToString("O", CultureInfo.InvariantCulture),
        });
        return new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Entries"] = JsonSerializer.Serialize(entries),
            ["EntryIdArray"] = JsonSerializer.Serialize(messages.Select(m => m.EntryId)),
            ["DeliveryCountArray"] = JsonSerializer.Serialize(messages.Select(m => m.DeliveryCount)),
            ["Stream"] = first?.Stream ?? "",
            ["Group"] = first?.Group ?? "",
            ["Consumer"] = first?.Consumer ?? "",
        };
    }

    /// <summary>
    /// The batch as an array of <paramref name="elementType"/>. A POCO array fails as a whole when one payload does
    /// not deserialise, as the worker's conversion of the host's JSON array does; the engine then retries the entries
    /// one by one, so only the bad one is dead-lettered.
    /// </summary>
    private static Array BatchValue(Type elementType, IReadOnlyList<StreamMessage> messages)
    {
        var array = Array.CreateInstance(elementType, messages.Count);
        for (var i = 0; i < messages.Count; i++)
            array.SetValue(TriggerValue(elementType, messages[i]), i);
        return array;
    }

    public object?[] Bind(StreamMessage message, FunctionContext context, CancellationToken cancellationToken) =>
        Arguments(TriggerValue(_triggerType, message), context, cancellationToken);

    private object?[] Arguments(object? trigger, FunctionContext context, CancellationToken cancellationToken)
    {
        var arguments = new object?[_slots.Length];
        for (var i = 0; i < _slots.Length; i++)
        {
            arguments[i] = _slots[i] switch
            {
                Slot.Trigger => trigger,
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
            throw new InvalidOperationException(
                $"Cannot convert input parameter to type '{type.FullName}' from the payload of entry " +
                $"{message.EntryId}: {ex.Message}", ex);
        }
    }
}
