using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Notifications;
using OrdersFunctions.App.Orders;
using OrdersFunctions.RedisStreams.Worker;

namespace OrdersFunctions.App.Functions;

/// <summary>Consumer group <c>%NotificationsGroup%</c>: tells the customer about each placed order.</summary>
public sealed class SendOrderNotification(IOrderNotifier notifier)
{
    [Function(nameof(SendOrderNotification))]
    public Task Run(
        [RedisConsumerGroupTrigger("RedisConnection", "%OrdersStream%",
            ConsumerGroup = "%NotificationsGroup%")] OrderPlaced order,
        FunctionContext context)
    {
        OrderPlacedGuard.ThrowIfIncomplete(order);
        return notifier.NotifyAsync(order, context.CancellationToken);
    }
}
