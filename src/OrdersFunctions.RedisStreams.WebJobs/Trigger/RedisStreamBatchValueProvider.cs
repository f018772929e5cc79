using System.Text;
using System.Text.Json;
using Microsoft.Azure.WebJobs.Host.Bindings;
using Newtonsoft.Json.Linq;
using OrdersFunctions.RedisStreams.Consuming;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// Produces a batched function's parameter value: an array with one element per delivered message, in order.
/// For an isolated worker the Functions host asks for <c>string[]</c> (<c>dataType: string</c>: sent as a string
/// collection), <c>byte[][]</c> (<c>dataType: binary</c>) or <c>object[]</c> (a POCO array or
/// <c>RedisStreamMessage[]</c>, no data type): the host sends that as JSON, so each JSON payload goes in as raw JSON
/// and the worker reads <c>[{...},{...}]</c> into <c>OrderPlaced[]</c>; a payload that is not JSON goes in as a JSON
/// string, which fails the POCO conversion as the single-entry binding does. In-process functions may also take
/// <c>StreamMessage[]</c>, <c>ReadOnlyMemory&lt;byte&gt;[]</c> or a POCO array deserialised here.
/// </summary>
internal sealed class RedisStreamBatchValueProvider : IValueProvider
{
    private readonly StreamMessage[] _messages;

    public RedisStreamBatchValueProvider(StreamMessage[] messages, Type type)
    {
        _messages = messages;
        Type = type;
    }

    public Type Type { get; }

    public Task<object?> GetValueAsync() => Task.FromResult<object?>(Convert(_messages, Type));

    /// <summary>The entry ids (first and last) and count: what the invocation log and the trigger reason
    /// show.</summary>
    public string ToInvokeString() => _messages.Length switch
    {
        0 => "empty batch",
        1 => string.IsNullOrEmpty(_messages[0].EntryId) ? "manual input" : _messages[0].EntryId,
        _ => $"{_messages.Length} entries {_messages[0].EntryId}..{_messages[^1].EntryId}",
    };

    /// <summary>The batch as <paramref name="arrayType"/>.</summary>
    /// <exception cref="InvalidOperationException">A payload is not JSON of the element type; the invocation fails, so
    /// the batch is retried entry by entry and the bad entry is finally dead-lettered with this message.</exception>
    internal static Array Convert(StreamMessage[] messages, Type arrayType)
    {
        var elementType = arrayType.GetElementType()
            ?? throw new InvalidOperationException($"{arrayType.Name} is not an array type.");
        if (elementType == typeof(object))
        {
            var values = new object[messages.Length];
            for (var i = 0; i < messages.Length; i++)
                values[i] = AsJsonElement(messages[i]);
            return values;
        }
        if (elementType == typeof(string))
        {
            // The Functions host's dataType: string, on every batch: no per-element reflection.
            var payloads = new string[messages.Length];
            for (var i = 0; i < messages.Length; i++)
                payloads[i] = Encoding.UTF8.GetString(messages[i].Payload.Span);
            return payloads;
        }
        var array = Array.CreateInstance(elementType, messages.Length);
        for (var i = 0; i < messages.Length; i++)
            array.SetValue(RedisStreamValueProvider.Convert(messages[i], elementType), i);
        return array;
    }

    /// <summary>A JSON payload as raw JSON (copied, not parsed into objects); anything else as a JSON string.</summary>
    private static JToken AsJsonElement(StreamMessage message)
    {
        var payload = message.Payload.Span;
        if (IsJson(payload))
            return new JRaw(Encoding.UTF8.GetString(payload));
        return new JValue(Encoding.UTF8.GetString(payload));
    }

    private static bool IsJson(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
            return false;
        var reader = new Utf8JsonReader(payload);
        try
        {
            reader.Read();
            reader.Skip();
            return !reader.Read() && reader.BytesConsumed == payload.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
