using System.Collections.Concurrent;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests.Hosting;

/// <summary>A sample of what the orders app publishes.</summary>
public sealed record SampleOrder(string OrderId, string CustomerEmail, decimal Total);

/// <summary>
/// A function taking a POCO (deserialised from the JSON payload) with options set on the attribute itself.
/// </summary>
public sealed class PocoFunction
{
    public ConcurrentQueue<(SampleOrder Order, int DeliveryCount)> Received { get; } = new();

    public void ConsumeOrder(
        [RedisConsumerGroupTrigger("RedisConnection", "%Stream%", ConsumerGroup = "%Group%", MaxDeliveries = 2,
            RetryBackoffInitial = "00:00:00.050")] SampleOrder order,
        int deliveryCount)
    {
        Received.Enqueue((order, deliveryCount));
    }
}

/// <summary>A function that always throws, with its delivery limit on the attribute.</summary>
public sealed class AlwaysFailingFunction
{
    public ConcurrentQueue<int> Deliveries { get; } = new();

    public void FailAlways(
        [RedisConsumerGroupTrigger("RedisConnection", "%Stream%", ConsumerGroup = "%Group%", MaxDeliveries = 3,
            RetryBackoffInitial = "00:00:00.050")] string payload,
        int deliveryCount)
    {
        Deliveries.Enqueue(deliveryCount);
        throw new InvalidOperationException($"cannot handle {payload}");
    }
}

/// <summary>A function taking the payload as a string, to see what a manual (admin API) invocation binds.</summary>
public sealed class StringFunction
{
    public ConcurrentQueue<(string Payload, string EntryId)> Received { get; } = new();

    public void ConsumeText(
        [RedisConsumerGroupTrigger("RedisConnection", "%Stream%", ConsumerGroup = "%Group%")] string payload,
        string entryId)
    {
        Received.Enqueue((payload, entryId));
    }
}

/// <summary>Functions with configuration mistakes the indexer must report.</summary>
public sealed class NoGroupFunction
{
    public void LacksGroup([RedisConsumerGroupTrigger("RedisConnection", "%Stream%")] string payload) => _ = payload;
}

public sealed class NoGroupAndBadBatchFunction
{
    public void LacksGroupAndBatch(
        [RedisConsumerGroupTrigger("RedisConnection", "%Stream%", BatchSize = -1)] string payload) => _ = payload;
}

public sealed class BadClaimIdleFunction
{
    public void BadClaimIdle(
        [RedisConsumerGroupTrigger("RedisConnection", "%Stream%", ConsumerGroup = "%Group%", ClaimMinIdle = "soon")]
        string payload) => _ = payload;
}

public sealed class OutOfRangeFunction
{
    public void OutOfRange(
        [RedisConsumerGroupTrigger("RedisConnection", "%Stream%", ConsumerGroup = "%Group%", BatchSize = -1)]
        string payload) => _ = payload;
}

public sealed class BadStartPositionFunction
{
    public void BadStart(
        [RedisConsumerGroupTrigger("RedisConnection", "%Stream%", ConsumerGroup = "%Group%", StartPosition = "Middle")]
        string payload) => _ = payload;
}

/// <summary>A batched function (array parameter) with the batch's per-entry binding data.</summary>
public sealed class BatchedPocoFunction
{
    public ConcurrentQueue<(SampleOrder[] Orders, string[] EntryIds, int[] DeliveryCounts)> Received { get; } = new();

    public void ConsumeOrders(
        [RedisConsumerGroupTrigger("RedisConnection", "%Stream%", ConsumerGroup = "%Group%", IsBatched = true,
            MaxBatchSize = 10, MaxDeliveries = 3, RetryBackoffInitial = "00:00:00.050")] SampleOrder[] orders,
        string[] entryIdArray,
        int[] deliveryCountArray)
    {
        if (orders.Any(o => o.OrderId == "poison"))
            throw new InvalidOperationException($"poison among {orders.Length} orders");
        Received.Enqueue((orders, entryIdArray, deliveryCountArray));
    }
}

/// <summary>The parameter types the Functions host asks a batched binding for (cardinality many): object[] for a POCO
/// or RedisStreamMessage array, string[] for dataType string, byte[][] for binary.</summary>
public sealed class HostBatchShapes
{
    public void AsObjects(
        [RedisConsumerGroupTrigger("RedisConnection", "%Stream%", ConsumerGroup = "%Group%")] object[] values) =>
        _ = values;

    public void AsStrings(
        [RedisConsumerGroupTrigger("RedisConnection", "%Stream%", ConsumerGroup = "%Group%")] string[] values) =>
        _ = values;

    public void AsBinary(
        [RedisConsumerGroupTrigger("RedisConnection", "%Stream%", ConsumerGroup = "%Group%")] byte[][] values) =>
        _ = values;
}

/// <summary>IsBatched on a single-entry parameter: an indexing error.</summary>
public sealed class BatchedButNotAnArrayFunction
{
    public void Consume(
        [RedisConsumerGroupTrigger("RedisConnection", "%Stream%", ConsumerGroup = "%Group%", IsBatched = true)]
        string payload) => _ = payload;
}
