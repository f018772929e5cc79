using System.Collections.Concurrent;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>
/// A read whose reply reaches the subscriber late (a GC pause, a starved thread pool) must not cost its entries a
/// delivery: the claim sweep, which reclaims this consumer's failed and abandoned entries, leaves them to the read.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class StalledReadTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Subscriber_ReadReplyStalledPastTheRetryBackoff_HandlesEachEntryOnceOnItsFirstDelivery()
    {
        var stream = TestNames.Stream();
        await using var connections = new StalledReadConnectionFactory(
            new RedisConnectionFactory(redis.ConnectionString), TimeSpan.FromMilliseconds(600));
        var deliveries = new ConcurrentQueue<(string MessageId, int DeliveryCount)>();
        var options = new StreamSubscriberOptions
        {
            Stream = stream,
            Group = TestNames.Group(),
            Consumer = TestNames.Consumer(),
            // The sweep looks every 20 ms and an own entry is due for redelivery 50 ms after it was delivered: a
            // 600 ms stall gives it a dozen chances to take the entries from the stalled read.
            ClaimInterval = TimeSpan.FromMilliseconds(20),
            RetryBackoffInitial = TimeSpan.FromMilliseconds(50),
            RetryBackoffMax = TimeSpan.FromMilliseconds(50),
            BlockTimeout = TimeSpan.FromSeconds(2),
        };
        await using var subscriber = new StreamSubscriber(connections, options, (message, _) =>
        {
            deliveries.Enqueue((message.MessageId, message.DeliveryCount));
            return Task.CompletedTask;
        });
        await subscriber.StartAsync();
        var publisher = new StreamPublisher(connections);
        var sent = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var message = new OutgoingMessage("T", new byte[] { (byte)i });
            await publisher.PublishAsync(stream, message);
            sent.Add(message.MessageId);
        }

        await Eventually.HoldsAsync(
            () => sent.All(id => deliveries.Any(d => d.MessageId == id)),
            "every entry handled",
            () => string.Join(", ", deliveries));
        // The sweep could take an entry only while the read that delivered it was stalled. A later entry comes in a
        // later read, which is sent only once that read's entries were handed to the handler: when it is handled, so is
        // every copy of the earlier entries there will ever be.
        var marker = new OutgoingMessage("T", new byte[] { 255 });
        await publisher.PublishAsync(stream, marker);
        await Eventually.HoldsAsync(
            () => deliveries.Any(d => d.MessageId == marker.MessageId),
            "the later marker entry handled",
            () => string.Join(", ", deliveries));

        var handled = deliveries.Where(d => d.MessageId != marker.MessageId).ToList();
        Assert.Equal(sent.Order(), handled.Select(d => d.MessageId).Order());
        Assert.All(handled, d => Assert.Equal(1, d.DeliveryCount));
    }
}
