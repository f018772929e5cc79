using System.Text;
using System.Text.Json;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host.Triggers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.WebJobs.Tests.Hosting;
using OrdersFunctions.RedisStreams.Worker;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>
/// What the host hands an out-of-process worker: the binding produces a string (string and POCO parameters) or bytes
/// (binary), plus binding data; the worker deserialises POCOs from the string with System.Text.Json,
/// case-insensitively, and <see cref="RedisStreamMessage"/> is rebuilt from the payload and the binding data.
/// </summary>
public sealed class WorkerValueTests : IAsyncDisposable
{
    // The isolated worker's default: case-insensitive property names.
    private static readonly JsonSerializerOptions WorkerJson = new() { PropertyNameCaseInsensitive = true };

    private static readonly StreamMessage Delivered = new()
    {
        EntryId = "1700000000000-0",
        MessageId = "m-42",
        Type = "OrderPlaced",
        Payload = Encoding.UTF8.GetBytes("{\"orderId\":\"o-42\",\"CUSTOMEREMAIL\":\"a@b.example\",\"total\":12.5}"),
        Headers = new Dictionary<string, string>
        {
            ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        },
        PublishedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        DeliveryCount = 2,
        Stream = "orders-placed",
        Group = "notifications",
        Consumer = "instance-1",
    };

    private readonly RedisConnectionFactoryCache _connections = new();

    [Fact]
    public async Task StringValue_DeserialisesIntoTheFunctionsPoco()
    {
        var (value, _) = await BindAsync(nameof(StringFunction.ConsumeText), typeof(StringFunction));

        var order = JsonSerializer.Deserialize<SampleOrder>(Assert.IsType<string>(value), WorkerJson);

        Assert.Equal(new SampleOrder("o-42", "a@b.example", 12.5m), order);
    }

    [Fact]
    public async Task BinaryValue_IsThePayloadBytes_AndDeserialisesIntoThePoco()
    {
        var (value, _) = await BindAsync(nameof(ConsumeFunction.Consume), typeof(ConsumeFunction));

        var bytes = Assert.IsType<byte[]>(value);
        Assert.Equal(Delivered.Payload.ToArray(), bytes);
        Assert.Equal("o-42", JsonSerializer.Deserialize<SampleOrder>(bytes, WorkerJson)!.OrderId);
    }

    [Fact]
    public async Task StringValueAndBindingData_RebuildTheRedisStreamMessage()
    {
        var (value, bindingData) = await BindAsync(nameof(StringFunction.ConsumeText), typeof(StringFunction));

        var message = RedisStreamMessageFactory.Create((string)value!, AsTheWorkerSeesIt(bindingData));

        Assert.Equal(Delivered.EntryId, message.EntryId);
        Assert.Equal(Delivered.MessageId, message.MessageId);
        Assert.Equal(Delivered.Type, message.Type);
        Assert.Equal(Encoding.UTF8.GetString(Delivered.Payload.Span), message.Payload);
        Assert.Equal(Delivered.Headers, message.Headers);
        Assert.Equal(2, message.DeliveryCount);
        Assert.Equal(
            ("orders-placed", "notifications", "instance-1"), (message.Stream, message.Group, message.Consumer));
        Assert.Equal(Delivered.PublishedAt, message.PublishedAt);
        Assert.Equal("o-42", JsonSerializer.Deserialize<SampleOrder>(message.Payload, WorkerJson)!.OrderId);
    }

    [Fact]
    public async Task PlainStringInput_BindsAsThePayload()
    {
        var binding = await CreateBindingAsync(nameof(StringFunction.ConsumeText), typeof(StringFunction));

        var data = await binding.BindAsync("{\"orderId\":\"manual\"}", null!);

        Assert.Equal("{\"orderId\":\"manual\"}", await data.ValueProvider.GetValueAsync());
    }

    public ValueTask DisposeAsync() => _connections.DisposeAsync();

    /// <summary>
    /// Binding data as the worker's FunctionContext holds them: strings, dictionaries as JSON, nulls skipped.
    /// </summary>
    private static Dictionary<string, object?> AsTheWorkerSeesIt(IReadOnlyDictionary<string, object> bindingData) =>
        bindingData.Where(kv => kv.Value is not null).ToDictionary(
            kv => kv.Key,
            kv => (object?)(kv.Value is string s ? s
                : kv.Value is IReadOnlyDictionary<string, string> d ? JsonSerializer.Serialize(d)
                : Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture)));

    private async Task<(object? Value, IReadOnlyDictionary<string, object> BindingData)> BindAsync(
        string method, Type functions)
    {
        var binding = await CreateBindingAsync(method, functions);
        var data = await binding.BindAsync(Delivered, null!);
        return (await data.ValueProvider.GetValueAsync(), data.BindingData);
    }

    private async Task<ITriggerBinding> CreateBindingAsync(string method, Type functions)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Never connected to: binding values needs no Redis (the factory connects lazily).
            ["RedisConnection"] = "127.0.0.1:1",
            ["Stream"] = "orders-placed",
            ["Group"] = "notifications",
        }).Build();
        var provider = new RedisConsumerGroupTriggerBindingProvider(
            configuration, new DefaultNameResolver(configuration), _connections, NullLoggerFactory.Instance);
        var parameter = functions.GetMethod(method)!.GetParameters()[0];
        return (await provider.TryCreateAsync(new TriggerBindingProviderContext(parameter, CancellationToken.None)))!;
    }
}
