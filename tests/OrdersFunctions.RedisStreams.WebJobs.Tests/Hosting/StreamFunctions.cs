using OrdersFunctions.RedisStreams.Testing.Contract;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests.Hosting;

/// <summary>What a test function does with a delivery; throwing fails the invocation.</summary>
public delegate Task DeliveryHandler(ReceivedMessage message, CancellationToken cancellationToken);

/// <summary>
/// A WebJobs function on the host-side attribute, the way the Functions host's generated methods use it: stream and
/// group from settings (<c>%Stream%</c>, <c>%Group%</c>), payload as bytes, everything else from binding data.
/// Per-function options come from <c>RedisStreams:Functions:Consume:*</c> settings.
/// </summary>
public sealed class ConsumeFunction(DeliveryHandler handler)
{
    public const string Name = nameof(Consume);

    public Task Consume(
        [RedisConsumerGroupTrigger("RedisConnection", "%Stream%", ConsumerGroup = "%Group%")] byte[] payload,
        string entryId,
        string messageId,
        string messageType,
        int deliveryCount,
        IReadOnlyDictionary<string, string> headers,
        string consumer,
        CancellationToken cancellationToken) =>
        handler(
            Deliveries.Create(payload, entryId, messageId, messageType, deliveryCount, headers, consumer),
            cancellationToken);
}

/// <summary>A second function on the same stream in another group (<c>%SecondGroup%</c>).</summary>
public sealed class ConsumeInSecondGroupFunction(DeliveryHandler handler)
{
    public const string Name = nameof(ConsumeInSecondGroup);

    public Task ConsumeInSecondGroup(
        [RedisConsumerGroupTrigger("RedisConnection", "%Stream%", ConsumerGroup = "%SecondGroup%")] byte[] payload,
        string entryId,
        string messageId,
        string messageType,
        int deliveryCount,
        IReadOnlyDictionary<string, string> headers,
        string consumer,
        CancellationToken cancellationToken) =>
        handler(
            Deliveries.Create(payload, entryId, messageId, messageType, deliveryCount, headers, consumer),
            cancellationToken);
}

internal static class Deliveries
{
    public static ReceivedMessage Create(
        byte[] payload, string entryId, string messageId, string messageType, int deliveryCount,
        IReadOnlyDictionary<string, string> headers, string consumer) => new()
    {
        EntryId = entryId,
        MessageId = messageId,
        Type = messageType,
        Payload = payload,
        Headers = headers,
        DeliveryCount = deliveryCount,
        Consumer = consumer,
    };
}
