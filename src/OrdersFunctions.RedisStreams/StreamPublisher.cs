using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams;

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
    public StreamPublisher(IRedisConnectionFactory connections, StreamPublisherOptions? options = null, TimeProvider? time = null)
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
    public async Task<string> PublishAsync(string stream, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(stream))
            throw new ArgumentException("The stream name is empty: pass the stream key, e.g. 'orders-placed'.", nameof(stream));
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrWhiteSpace(message.Type))
            throw new ArgumentException("The message type is empty: set OutgoingMessage.Type, e.g. 'OrderPlaced'.", nameof(message));
        if (string.IsNullOrWhiteSpace(message.MessageId))
            throw new ArgumentException("The message id is empty: leave OutgoingMessage.MessageId unset for a new GUID or set a unique id.", nameof(message));
        ArgumentNullException.ThrowIfNull(message.Headers);
        cancellationToken.ThrowIfCancellationRequested();

        using var activity = StreamsTelemetry.ActivitySource.StartActivity(stream + " publish", ActivityKind.Producer);
        if (activity is not null)
        {
            activity.SetTag("messaging.system", "redis");
            activity.SetTag("messaging.operation.type", "publish");
            activity.SetTag("messaging.destination.name", stream);
            activity.SetTag("messaging.message.id", message.MessageId);
        }

        var database = (await _connections.GetSharedAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
        var args = BuildXAddArguments(stream, message, activity ?? Activity.Current, _time.GetUtcNow());
        var result = await database.ExecuteAsync("XADD", args).WaitAsync(cancellationToken).ConfigureAwait(false);
        var id = result.ToString();
        activity?.SetTag("messaging.redis.entry_id", id);
        return id!;
    }

    private List<object> BuildXAddArguments(string stream, OutgoingMessage message, Activity? trace, DateTimeOffset now)
    {
        var args = new List<object>(16) { (RedisKey)stream };
        if (_options.MaxLength is { } maxLength)
        {
            args.Add("MAXLEN");
            args.Add("~");
            args.Add(maxLength);
        }
        else if (_options.MinIdAge is { } age)
        {
            args.Add("MINID");
            args.Add("~");
            args.Add((now - age).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        }
        args.Add("*");
        args.Add(StreamEnvelope.MessageId);
        args.Add(message.MessageId);
        args.Add(StreamEnvelope.Type);
        args.Add(message.Type);
        args.Add(StreamEnvelope.Payload);
        args.Add((RedisValue)message.Payload);
        args.Add(StreamEnvelope.Headers);
        args.Add(SerializeHeaders(message.Headers, trace));
        args.Add(StreamEnvelope.PublishedAt);
        args.Add(now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        return args;
    }

    /// <summary>The headers as a JSON object, with <c>traceparent</c>/<c>tracestate</c> of <paramref name="trace"/>
    /// added unless the caller set them.</summary>
    internal static string SerializeHeaders(IReadOnlyDictionary<string, string> headers, Activity? trace)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in headers)
                writer.WriteString(name, value);
            if (trace is not null && trace.IdFormat == ActivityIdFormat.W3C)
            {
                if (!headers.ContainsKey(StreamEnvelope.TraceParentHeader) && trace.Id is { } traceParent)
                {
                    writer.WriteString(StreamEnvelope.TraceParentHeader, traceParent);
                    if (!headers.ContainsKey(StreamEnvelope.TraceStateHeader) && !string.IsNullOrEmpty(trace.TraceStateString))
                        writer.WriteString(StreamEnvelope.TraceStateHeader, trace.TraceStateString);
                }
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
