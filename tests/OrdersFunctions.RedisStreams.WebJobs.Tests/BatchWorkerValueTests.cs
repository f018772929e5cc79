using System.Text;
using System.Text.Json;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host.Triggers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.WebJobs.Tests.Hosting;
using OrdersFunctions.RedisStreams.Worker;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>
/// What the host hands an out-of-process worker for a batched function (<c>cardinality: many</c>): it asks the
/// binding for <c>object[]</c> (POCO and RedisStreamMessage arrays), <c>string[]</c> or <c>byte[][]</c> and sends
/// anything but string and byte arrays as JSON (Newtonsoft, as the host's RPC conversion does); the worker reads
/// that JSON into <c>OrderPlaced[]</c> with System.Text.Json, or rebuilds <see cref="RedisStreamMessage"/><c>[]</c>.
/// </summary>
public sealed class BatchWorkerValueTests : IAsyncDisposable
{
    private static readonly JsonSerializerOptions WorkerJson = new() { PropertyNameCaseInsensitive = true };

    private static readonly StreamMessage[] Batch =
    [
        Delivered("1700000000000-0", "m-1", "{\"orderId\":\"o-1\",\"customerEmail\":\"a@b.example\",\"total\":1.5}", 1),
        Delivered("1700000000000-1", "m-2", "{\"ORDERID\":\"o-2\",\"customerEmail\":\"c@d.example\",\"total\":2}", 3),
    ];

    private readonly RedisConnectionFactoryCache _connections = new();

    [Fact]
    public async Task ObjectArray_SentAsJson_DeserialisesIntoThePocoArray()
    {
        var (value, _) = await BindAsync(nameof(HostBatchShapes.AsObjects), Batch);

        var json = JsonConvert.SerializeObject(value); // the host's RPC conversion of a non-string, non-byte array
        var orders = JsonSerializer.Deserialize<SampleOrder[]>(json, WorkerJson);

        Assert.NotNull(orders);
        Assert.Equal([new SampleOrder("o-1", "a@b.example", 1.5m), new SampleOrder("o-2", "c@d.example", 2m)], orders);
    }

    [Fact]
    public async Task ObjectArrayAndEntriesBindingData_RebuildTheRedisStreamMessages()
    {
        var (value, bindingData) = await BindAsync(nameof(HostBatchShapes.AsObjects), Batch);

        var messages = RedisStreamMessageFactory.CreateBatch(
            JsonConvert.SerializeObject(value), AsTheWorkerSeesIt(bindingData));

        Assert.Equal(2, messages.Length);
        Assert.Equal(["1700000000000-0", "1700000000000-1"], messages.Select(m => m.EntryId));
        Assert.Equal(["m-1", "m-2"], messages.Select(m => m.MessageId));
        Assert.Equal([1, 3], messages.Select(m => m.DeliveryCount));
        Assert.All(messages, m => Assert.Equal("OrderPlaced", m.Type));
        Assert.All(messages, m =>
            Assert.Equal(("orders-placed", "notifications", "instance-1"), (m.Stream, m.Group, m.Consumer)));
        Assert.Equal("trace-m-2", messages[1].Headers["traceparent"]);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), messages[0].PublishedAt);
        Assert.Equal("o-2", JsonSerializer.Deserialize<SampleOrder>(messages[1].Payload, WorkerJson)!.OrderId);
    }

    [Fact]
    public async Task PayloadThatIsNotJson_TravelsAsAJsonString_SoThePocoArrayFails_AndRedisStreamMessageKeepsTheText()
    {
        StreamMessage[] batch = [Batch[0], Delivered("1700000000000-2", "m-3", "plain text, not JSON", 1)];
        var (value, bindingData) = await BindAsync(nameof(HostBatchShapes.AsObjects), batch);
        var json = JsonConvert.SerializeObject(value);

        Assert.Throws<System.Text.Json.JsonException>(
            () => JsonSerializer.Deserialize<SampleOrder[]>(json, WorkerJson));
        var messages = RedisStreamMessageFactory.CreateBatch(json, AsTheWorkerSeesIt(bindingData));
        Assert.Equal("plain text, not JSON", messages[1].Payload);
    }

    [Fact]
    public async Task StringArray_IsThePayloads_InOrder()
    {
        var (value, _) = await BindAsync(nameof(HostBatchShapes.AsStrings), Batch);

        Assert.Equal(Batch.Select(m => Encoding.UTF8.GetString(m.Payload.Span)), Assert.IsType<string[]>(value));
    }

    [Fact]
    public async Task BinaryArray_IsThePayloadBytes_InOrder()
    {
        var (value, _) = await BindAsync(nameof(HostBatchShapes.AsBinary), Batch);

        Assert.Equal(Batch.Select(m => m.Payload.ToArray()), Assert.IsType<byte[][]>(value));
    }

    [Fact]
    public async Task PlainStringInput_ForABatchedFunction_IsABatchOfOne()
    {
        var binding = await CreateBindingAsync(nameof(HostBatchShapes.AsStrings));

        var data = await binding.BindAsync("{\"orderId\":\"manual\"}", null!);

        Assert.Equal(["{\"orderId\":\"manual\"}"], Assert.IsType<string[]>(await data.ValueProvider.GetValueAsync()));
    }

    public ValueTask DisposeAsync() => _connections.DisposeAsync();

    private static StreamMessage Delivered(string entryId, string messageId, string payload, int deliveryCount) => new()
    {
        EntryId = entryId,
        MessageId = messageId,
        Type = "OrderPlaced",
        Payload = Encoding.UTF8.GetBytes(payload),
        Headers = new Dictionary<string, string> { ["traceparent"] = "trace-" + messageId },
        PublishedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        DeliveryCount = deliveryCount,
        Stream = "orders-placed",
        Group = "notifications",
        Consumer = "instance-1",
    };

    /// <summary>Binding data as the worker holds them: strings as they are, anything else as the host's JSON.</summary>
    private static Dictionary<string, object?> AsTheWorkerSeesIt(IReadOnlyDictionary<string, object> bindingData) =>
        bindingData.Where(kv => kv.Value is not null).ToDictionary(
            kv => kv.Key,
            kv => (object?)(kv.Value as string ?? JsonConvert.SerializeObject(kv.Value)));

    private async Task<(object? Value, IReadOnlyDictionary<string, object> BindingData)> BindAsync(
        string method, StreamMessage[] batch)
    {
        var binding = await CreateBindingAsync(method);
        var data = await binding.BindAsync(batch, null!);
        return (await data.ValueProvider.GetValueAsync(), data.BindingData);
    }

    private async Task<ITriggerBinding> CreateBindingAsync(string method)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RedisConnection"] = "127.0.0.1:1", // never connected to
            ["Stream"] = "orders-placed",
            ["Group"] = "notifications",
        }).Build();
        var provider = new RedisConsumerGroupTriggerBindingProvider(
            configuration, new DefaultNameResolver(configuration), _connections, NullLoggerFactory.Instance);
        var parameter = typeof(HostBatchShapes).GetMethod(method)!.GetParameters()[0];
        return (await provider.TryCreateAsync(new TriggerBindingProviderContext(parameter, CancellationToken.None)))!;
    }
}
