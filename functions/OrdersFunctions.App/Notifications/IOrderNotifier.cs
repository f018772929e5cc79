using OrdersFunctions.App.Orders;

namespace OrdersFunctions.App.Notifications;

/// <summary>Tells the customer their order was placed. Idempotent by order id as far as the channel allows.</summary>
public interface IOrderNotifier
{
    Task NotifyAsync(OrderPlaced order, CancellationToken cancellationToken);
}
