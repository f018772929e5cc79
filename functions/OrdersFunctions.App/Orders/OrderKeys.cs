namespace OrdersFunctions.App.Orders;

/// <summary>
/// The Redis keys the app keeps next to the stream, all prefixed with the stream key so that two apps on one Redis
/// (or the tests, each on its own stream) never share them.
/// </summary>
public static class OrderKeys
{
    /// <summary>Order id → stream entry id, for <c>GET /api/orders/{orderId}</c>.</summary>
    public static string OrderIndex(string stream, string orderId) => $"{stream}:order:{orderId}";

    /// <summary>Idempotency-Key → the first answer (or a reservation while that request runs).</summary>
    public static string Idempotency(string stream, string key) => $"{stream}:idempotency:{key}";

    /// <summary>Marker set after an order's e-mail went out over SMTP (SMTP itself cannot deduplicate).</summary>
    public static string Notified(string stream, string orderId) => $"{stream}:notified:{orderId}";
}
