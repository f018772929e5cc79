using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Contract;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>What the publisher writes (the envelope) and that a consumer's span continues the publisher's
/// trace.</summary>
[Collection(RedisCollection.Name)]
public sealed class StreamPublisherTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly RedisConnectionFactory _connections = new(redis.ConnectionString);
    private StreamInspector _inspector = null!;

    public async Task InitializeAsync() => _inspector = new StreamInspector(await redis.GetConnectionAsync());

    public async Task DisposeAsync() => await _connections.DisposeAsync();

    [Fact]
    public async Task PublishAsync_WritesEveryEnvelopeField_AndReturnsTheEntryId()
    {
        var stream = TestNames.Stream();
        var publisher = new StreamPublisher(_connections);
        var message = new OutgoingMessage("OrderPlaced", Encoding.UTF8.GetBytes("{\"orderId\":\"o-1\"}"))
        {
            MessageId = "m-1",
            Headers = new Dictionary<string, string> { ["tenant"] = "contoso" },
        };
        var before = DateTimeOffset.UtcNow;

        var id = await publisher.PublishAsync(stream, message);

        var entry = Assert.Single(await _inspector.EntriesAsync(stream));
        Assert.Equal(id, (string?)entry.Id);
        var fields = entry.Values.ToDictionary(v => (string)v.Name!, v => (string)v.Value!);
        Assert.Equal("m-1", fields[StreamEnvelope.MessageId]);
        Assert.Equal("OrderPlaced", fields[StreamEnvelope.Type]);
        Assert.Equal("{\"orderId\":\"o-1\"}", fields[StreamEnvelope.Payload]);
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(fields[StreamEnvelope.Headers])!;
        Assert.Equal("contoso", headers["tenant"]);
        var publishedAt = DateTimeOffset.Parse(
            fields[StreamEnvelope.PublishedAt], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        Assert.InRange(publishedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task PublishAsync_InsideAnActivity_WritesItsTraceparentHeader()
    {
        var stream = TestNames.Stream();
        var publisher = new StreamPublisher(_connections);
        using var listener = ListenToEverything();
        using var parent = new Activity("test-request").SetIdFormat(ActivityIdFormat.W3C).Start();

        await publisher.PublishAsync(stream, new OutgoingMessage("T", new byte[] { 1 }));

        var fields = Assert.Single(await _inspector.EntriesAsync(stream)).Values
            .ToDictionary(v => (string)v.Name!, v => (string)v.Value!);
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(fields[StreamEnvelope.Headers])!;
        var traceParent = headers[StreamEnvelope.TraceParentHeader];
        Assert.Equal(parent.TraceId.ToHexString(), traceParent.Split('-')[1]);
    }

    [Fact]
    public async Task Subscriber_HandlerRunsInAnActivityThatContinuesThePublishersTrace()
    {
        var stream = TestNames.Stream();
        var publisher = new StreamPublisher(_connections);
        using var listener = ListenToEverything();
        await using var adapter = new EngineAdapter(redis.ConnectionString);
        var seenTraceIds = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        var handled = new MessageLog();
        await using var consumer = await adapter.StartConsumerAsync(
            new ConsumerSpec(stream, TestNames.Group(), TestNames.Consumer()),
            (message, ct) =>
            {
                seenTraceIds.Enqueue(Activity.Current?.TraceId.ToHexString());
                return handled.Record(message, ct);
            },
            CancellationToken.None);
        ActivityTraceId publisherTraceId;
        string messageId;
        using (var parent = new Activity("place-order").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            publisherTraceId = parent.TraceId;
            var message = new OutgoingMessage("T", new byte[] { 1 });
            messageId = message.MessageId;
            await publisher.PublishAsync(stream, message);
        }

        await handled.WaitForAllAsync([messageId], "the subscriber");

        Assert.Equal(publisherTraceId.ToHexString(), Assert.Single(seenTraceIds));
    }

    private static ActivityListener ListenToEverything()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == StreamsTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
