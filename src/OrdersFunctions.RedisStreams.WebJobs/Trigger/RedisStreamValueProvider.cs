using System.Text;
using System.Text.Json;
using Microsoft.Azure.WebJobs.Host.Bindings;
using OrdersFunctions.RedisStreams.Consuming;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// Produces the parameter value from a delivered message. For an out-of-process worker the host asks for
/// <c>string</c> (parameters of type <c>string</c> and POCOs; the worker deserialises POCOs from it) or <c>byte[]</c>
/// (<c>dataType: binary</c>); in-process functions may also take <c>ReadOnlyMemory&lt;byte&gt;</c>, the engine's
/// <see cref="StreamMessage"/>, or a POCO deserialised here from the JSON payload.
/// </summary>
internal sealed class RedisStreamValueProvider : IValueProvider
{
    // Exactly the isolated worker's default JSON options (WorkerOptions.Serializer: case-insensitive names and nothing
    // more), so in- and out-of-process functions accept and refuse the same payloads.
    private static readonly JsonSerializerOptions PayloadJson = new() { PropertyNameCaseInsensitive = true };

    private readonly StreamMessage _message;

    public RedisStreamValueProvider(StreamMessage message, Type type)
    {
        _message = message;
        Type = type;
    }

    public Type Type { get; }

    public Task<object?> GetValueAsync() => Task.FromResult(Convert(_message, Type));

    /// <summary>The entry id: it becomes the argument the invocation log and the trigger reason show.</summary>
    public string ToInvokeString() => string.IsNullOrEmpty(_message.EntryId) ? "manual input" : _message.EntryId;

    /// <summary>The value of <paramref name="message"/> as <paramref name="type"/>.</summary>
    /// <exception cref="InvalidOperationException">The payload is not JSON of <paramref name="type"/>; the invocation
    /// fails, so the entry is retried and finally dead-lettered with this message.</exception>
    internal static object? Convert(StreamMessage message, Type type)
    {
        if (type == typeof(string) || type == typeof(object))
            return Encoding.UTF8.GetString(message.Payload.Span);
        if (type == typeof(byte[]))
            return message.Payload.ToArray();
        if (type == typeof(ReadOnlyMemory<byte>))
            return message.Payload;
        if (type == typeof(StreamMessage))
            return message;
        try
        {
            return JsonSerializer.Deserialize(message.Payload.Span, type, PayloadJson);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException(
                $"The payload of entry {message.EntryId} in stream {message.Stream} is not JSON of type " +
                $"{type.Name}: {ex.Message}", ex);
        }
    }
}
