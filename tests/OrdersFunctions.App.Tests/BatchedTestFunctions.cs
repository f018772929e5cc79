using System.Collections.Concurrent;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.RedisStreams.Worker;

namespace OrdersFunctions.App.Tests;

/// <summary>One entry's payload for the batched test functions.</summary>
public sealed record BatchItem(string Id, int N);

/// <summary>
/// Batched stream functions that <see cref="LocalHostBatchTests"/> runs in a local host (this test assembly is their
/// "app"). They record what each invocation received, per stream, so tests on different streams do not mix.
/// </summary>
public sealed class BatchedTestFunctions
{
    public static ConcurrentDictionary<string, ConcurrentQueue<Invocation>> Invocations { get; } = new();

    /// <summary>Fails the whole batch when any item's id is "poison".</summary>
    [Function("ConsumeItemsInBatches")]
    public static void ConsumeItems(
        [RedisConsumerGroupTrigger("RedisConnection", "%BatchStream%",
            ConsumerGroup = "%ItemsGroup%", IsBatched = true, MaxBatchSize = 10)] BatchItem[] items,
        FunctionContext context)
    {
        var stream = (string)context.BindingContext.BindingData["Stream"]!;
        var entryIds = System.Text.Json.JsonSerializer.Deserialize<string[]>(
            (string)context.BindingContext.BindingData["EntryIdArray"]!)!;
        var deliveries = System.Text.Json.JsonSerializer.Deserialize<int[]>(
            (string)context.BindingContext.BindingData["DeliveryCountArray"]!)!;
        if (items.Any(i => i.Id == "poison"))
            throw new InvalidOperationException($"poison among {items.Length} items");
        Invocations.GetOrAdd(stream, _ => new())
            .Enqueue(new Invocation("items", items.Select(i => i.Id).ToArray(), entryIds, deliveries));
    }

    [Function("ConsumeMessagesInBatches")]
    public static void ConsumeMessages(
        [RedisConsumerGroupTrigger("RedisConnection", "%BatchStream%",
            ConsumerGroup = "%MessagesGroup%", IsBatched = true)] RedisStreamMessage[] messages)
    {
        Invocations.GetOrAdd(messages[0].Stream, _ => new()).Enqueue(new Invocation("messages",
            messages
                .Select(m => System.Text.Json.JsonDocument.Parse(m.Payload).RootElement.GetProperty("id").GetString()!)
                .ToArray(),
            messages.Select(m => m.EntryId).ToArray(), messages.Select(m => m.DeliveryCount).ToArray()));
    }

    public sealed record Invocation(string Function, string[] Ids, string[] EntryIds, int[] DeliveryCounts);
}
