using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Publishing;

/// <summary>
/// <see cref="IStreamPublisher"/> over the factory's shared multiplexer: one XADD per message, written in the
/// <see cref="StreamEnvelope"/> format. Thread-safe. It does not own the connection.
/// </summary>
public sealed class StreamPublisher : IStreamPublisher
{
    private readonly IRedisConnectionFactory _connections;
    private readonly StreamPublisherOptions _options;
    private readonly TimeProvider _time;

    /// <exception cref="ArgumentException">The trimming options are invalid (all problems are listed).</exception>
    public StreamPublisher(IRedisConnectionFactory connections, StreamPublisherOptions? options = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connections);
        _connections = connections;
        _options = options ?? new StreamPublisherOptions();
        var errors = _options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException("Invalid StreamPublisherOptions: " + string.Join(" ", errors), nameof(options));
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task<string> PublishAsync(string stream, OutgoingMessage message,
        CancellationToken cancellationToken = default) =>
        (await PublishCoreAsync(stream, message, transaction: null, cancellationToken).ConfigureAwait(false))!;

    /// <inheritdoc />
    public Task<string?> PublishAsync(string stream, OutgoingMessage message, PublishTransaction transaction,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return PublishCoreAsync(stream, message, transaction, cancellationToken);
    }

    private async Task<string?> PublishCoreAsync(string stream, OutgoingMessage message,
        PublishTransaction? transaction, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(stream))
            throw new ArgumentException("The stream name is empty: pass the stream key, e.g. 'orders-placed'.",
                nameof(stream));
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrWhiteSpace(message.Type))
            throw new ArgumentException("The message type is empty: set OutgoingMessage.Type, e.g. 'OrderPlaced'.",
                nameof(message));
        if (string.IsNullOrWhiteSpace(message.MessageId))
            throw new ArgumentException(
                "The message id is empty: leave OutgoingMessage.MessageId unset for a new GUID or set a unique id.",
                nameof(message));
        ArgumentNullException.ThrowIfNull(message.Headers);
        cancellationToken.ThrowIfCancellationRequested();

        if (transaction is not null)
            PublishScript.ThrowIfInvalid(stream, transaction);
        var connection = await _connections.GetSharedAsync(cancellationToken).ConfigureAwait(false);

        using var activity = StreamsTelemetry.ActivitySource.StartActivity(stream + " publish", ActivityKind.Producer);
        if (activity is not null)
        {
            activity.SetTag("messaging.system", "redis");
            activity.SetTag("messaging.operation.type", "publish");
            activity.SetTag("messaging.destination.name", stream);
            activity.SetTag("messaging.message.id", message.MessageId);
        }

        var database = connection.GetDatabase();
        var now = _time.GetUtcNow();
        var fields = BuildFields(message, activity ?? Activity.Current, now);
        var trim = Trimming(now);
        Task<RedisValue> add;
        if (transaction is not null)
        {
            // nil → RedisValue.Null
            add = AsValueAsync(PublishScript.RunAsync(database, stream, fields, trim, transaction));
        }
        else if (trim is { } t && t.Kind == "MINID")
        {
            // SE.Redis 2.8 has no typed MINID; send XADD as is. The key travels as a RedisKey for cluster routing.
            var args = new List<object>(5 + fields.Length * 2) { (RedisKey)stream, "MINID", "~", t.Threshold, "*" };
            foreach (var field in fields)
            {
                args.Add(field.Name);
                args.Add(field.Value);
            }
            add = AsValueAsync(database.ExecuteAsync("XADD", args));
        }
        else
        {
            add = database.StreamAddAsync(stream, fields, maxLength: _options.MaxLength, useApproximateMaxLength: true);
        }
        var id = (string?)(cancellationToken.CanBeCanceled
            ? await add.WaitAsync(cancellationToken).ConfigureAwait(false)
            : await add.ConfigureAwait(false));
        if (id is not null)
            activity?.SetTag("messaging.redis.entry_id", id);
        return id;
    }

    /// <summary>The approximate trimming this publisher applies on every XADD, if any.</summary>
    private (string Kind, string Threshold)? Trimming(DateTimeOffset now) =>
        _options.MinIdAge is { } age
            ? ("MINID", (now - age).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))
        : _options.MaxLength is { } length ? ("MAXLEN", length.ToString(CultureInfo.InvariantCulture))
        : null;

    private static async Task<RedisValue> AsValueAsync(Task<RedisResult> result) =>
        (RedisValue)(await result.ConfigureAwait(false));

    private static NameValueEntry[] BuildFields(OutgoingMessage message, Activity? trace, DateTimeOffset now) =>
    [
        new(StreamEnvelope.MessageId, message.MessageId),
        new(StreamEnvelope.Type, message.Type),
        new(StreamEnvelope.Payload, message.Payload),
        new(StreamEnvelope.Headers, SerializeHeaders(message.Headers, trace)),
        new(StreamEnvelope.PublishedAt, now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
    ];

    /// <summary>The headers as a JSON object, with <c>traceparent</c>/<c>tracestate</c> of <paramref name="trace"/>
    /// added unless the caller set them.</summary>
    internal static string SerializeHeaders(IReadOnlyDictionary<string, string> headers, Activity? trace)
    {
        if (headers.Count == 0 && (trace is null || trace.IdFormat != ActivityIdFormat.W3C))
            return "{}";
        // This thread's buffer and writer, reset for each call: a new stream and writer per published entry were a
        // measurable share of the bytes allocated per order. Reset also clears a writer an earlier call left
        // mid-object.
        var buffer = t_headersBuffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = t_headersWriter ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        {
            writer.WriteStartObject();
            foreach (var (name, value) in headers)
                writer.WriteString(name, value);
            if (trace is not null && trace.IdFormat == ActivityIdFormat.W3C)
            {
                if (!headers.ContainsKey(StreamEnvelope.TraceParentHeader) && trace.Id is { } traceParent)
                {
                    writer.WriteString(StreamEnvelope.TraceParentHeader, traceParent);
                    if (!headers.ContainsKey(StreamEnvelope.TraceStateHeader)
                        && !string.IsNullOrEmpty(trace.TraceStateString))
                        writer.WriteString(StreamEnvelope.TraceStateHeader, trace.TraceStateString);
                }
            }
            writer.WriteEndObject();
            writer.Flush();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_headersBuffer;
    [ThreadStatic] private static Utf8JsonWriter? t_headersWriter;
}
