using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.RedisStreams.Worker;

namespace OrdersFunctions.RedisStreams.WebJobs.TestApp;

public sealed record SampleOrder(string OrderId, string CustomerEmail, decimal Total);

/// <summary>One function per parameter type, the first with every attribute property set.</summary>
public sealed class StreamFunctions
{
    [Function(nameof(OrdersAsPoco))]
    public void OrdersAsPoco(
        [RedisConsumerGroupTrigger("RedisConnection", "%OrdersStream%", ConsumerGroup = "%NotificationsGroup%",
            BatchSize = 10, MaxConcurrency = 4, MaxDeliveries = 3, ClaimMinIdle = "00:00:05",
            RetryBackoffInitial = "00:00:00.200",
            DeadLetterStream = "orders:dlq", StartPosition = "NewEntriesOnly")] SampleOrder order) => _ = order;

    [Function(nameof(OrdersAsString))]
    public void OrdersAsString(
        [RedisConsumerGroupTrigger("RedisConnection", "orders-placed", ConsumerGroup = "strings")] string payload) =>
        _ = payload;

    [Function(nameof(OrdersAsBytes))]
    public void OrdersAsBytes(
        [RedisConsumerGroupTrigger("RedisConnection", "orders-placed", ConsumerGroup = "bytes")] byte[] payload) =>
        _ = payload;

    [Function(nameof(OrdersAsMessage))]
    public void OrdersAsMessage(
        [RedisConsumerGroupTrigger("RedisConnection", "orders-placed", ConsumerGroup = "messages")]
        RedisStreamMessage message) => _ = message;
}

/// <summary>Batched functions: what <c>IsBatched = true</c> becomes in functions.metadata.</summary>
public sealed class BatchedStreamFunctions
{
    [Function(nameof(OrdersInBatches))]
    public void OrdersInBatches(
        [RedisConsumerGroupTrigger("RedisConnection", "orders-placed", ConsumerGroup = "batches", IsBatched = true,
            MaxBatchSize = 50, MaxBatchWait = "00:00:00.010")] SampleOrder[] orders) => _ = orders;

    [Function(nameof(TextsInBatches))]
    public void TextsInBatches(
        [RedisConsumerGroupTrigger("RedisConnection", "orders-placed", ConsumerGroup = "text-batches",
            IsBatched = true)] string[] payloads) => _ = payloads;

    [Function(nameof(MessagesInBatches))]
    public void MessagesInBatches(
        [RedisConsumerGroupTrigger("RedisConnection", "orders-placed", ConsumerGroup = "message-batches",
            IsBatched = true)] RedisStreamMessage[] messages) => _ = messages;
}
