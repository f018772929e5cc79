using System.Text.RegularExpressions;

namespace OrdersFunctions.App.Orders;

/// <summary>
/// Checks an <see cref="OrderPlaced"/> read from the stream before a sink uses it. Anyone with access to Redis can
/// append to the stream, and System.Text.Json fills missing members with null, so an entry that deserialised can
/// still be unusable; throwing here fails the invocation, and the engine retries and finally dead-letters it.
/// </summary>
public static partial class OrderPlacedGuard
{
    /// <exception cref="InvalidDataException">The event lacks a field or has an order id unsafe as a file
    /// name.</exception>
    public static void ThrowIfIncomplete(OrderPlaced? order)
    {
        if (order is null)
            throw new InvalidDataException("The stream entry's payload is JSON null, not an OrderPlaced event.");
        // The order id names files (the .eml outbox), so it must not carry path characters.
        if (order.OrderId is null || !OrderIdFormat().IsMatch(order.OrderId))
            throw new InvalidDataException("OrderPlaced.orderId is missing or not 1-64 letters, digits or '-'.");
        if (string.IsNullOrWhiteSpace(order.CustomerEmail))
            throw new InvalidDataException($"OrderPlaced {order.OrderId} has no customerEmail.");
        if (order.Items is null || order.Items.Count == 0
            || order.Items.Any(i => i is null || string.IsNullOrEmpty(i.Sku)))
            throw new InvalidDataException($"OrderPlaced {order.OrderId} has no items or an item without sku.");
        if (string.IsNullOrWhiteSpace(order.Currency))
            throw new InvalidDataException($"OrderPlaced {order.OrderId} has no currency.");
    }

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex OrderIdFormat();
}
