namespace OrdersFunctions.App;

/// <summary>
/// The app's own names and retention, read from the root app settings (names fixed in local.settings.sample.json).
/// </summary>
public sealed class OrdersOptions
{
    /// <summary>Setting <c>OrdersStream</c> (required, see <see cref="RequiredSettings"/>): the stream orders are
    /// published to.</summary>
    public string Stream { get; set; } = "";

    /// <summary>Setting <c>NotificationsGroup</c> (required): the consumer group of
    /// <c>SendOrderNotification</c>.</summary>
    public string NotificationsGroup { get; set; } = "";

    /// <summary>Setting <c>SpreadsheetsGroup</c> (required): the consumer group of
    /// <c>AppendOrderToSpreadsheet</c>.</summary>
    public string SpreadsheetsGroup { get; set; } = "";

    /// <summary>How long <c>GET /api/orders/{id}</c> can find an order (the order id → entry id index).</summary>
    public TimeSpan OrderIndexTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a completed Idempotency-Key answer is replayed.</summary>
    public TimeSpan IdempotencyTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a key stays reserved by a request that has not finished (it crashed, or Redis failed
    /// mid-way); after that a retry publishes again.</summary>
    public TimeSpan IdempotencyReservationTtl { get; set; } = TimeSpan.FromSeconds(60);
}
