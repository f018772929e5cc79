namespace OrdersFunctions.App.Orders;

/// <summary>A validated <c>POST /api/orders</c> body.</summary>
public sealed record OrderRequest(
    string CustomerEmail, string? CustomerName, IReadOnlyList<OrderLine> Items, string Currency)
{
    /// <summary>Sum of quantity × unit price, rounded to cents (banker's rounding is not what a customer
    /// expects).</summary>
    public decimal Total => Math.Round(Items.Sum(i => i.Quantity * i.UnitPrice), 2, MidpointRounding.AwayFromZero);

    /// <summary>The event for this request.</summary>
    public OrderPlaced ToEvent(string orderId, DateTimeOffset placedAt) =>
        new(orderId, CustomerEmail, CustomerName, Items, Total, Currency, placedAt);
}
