namespace OrdersFunctions.App.Orders;

/// <summary>The event published to the orders stream when an order was accepted. Past tense: it happened.</summary>
/// <param name="OrderId">The order id the API answered with (32 hex characters); also the stream message id.</param>
/// <param name="CustomerEmail">Where the confirmation goes. Personal data: never log it at Information level.</param>
/// <param name="CustomerName">The customer's name, if given.</param>
/// <param name="Items">The order lines, at least one.</param>
/// <param name="Total">Sum of quantity × unit price, rounded to cents.</param>
/// <param name="Currency">ISO 4217 code, e.g. <c>EUR</c>.</param>
/// <param name="PlacedAt">When the API accepted the order (UTC).</param>
public sealed record OrderPlaced(
    string OrderId,
    string CustomerEmail,
    string? CustomerName,
    IReadOnlyList<OrderLine> Items,
    decimal Total,
    string Currency,
    DateTimeOffset PlacedAt)
{
    /// <summary>The stream message type.</summary>
    public const string MessageType = nameof(OrderPlaced);
}

/// <summary>One line of an order.</summary>
public sealed record OrderLine(string Sku, int Quantity, decimal UnitPrice);
