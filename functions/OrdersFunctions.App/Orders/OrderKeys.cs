using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.App.Orders;

/// <summary>
/// The Redis keys the app keeps next to the stream, all prefixed with the stream's hash tag
/// (<see cref="StreamKeys.SlotPrefix"/>, e.g. <c>{orders-placed}:</c>): two apps on one Redis (or the tests, each on
/// its own stream) never share them, and in a Redis Cluster they live in the stream's slot, so the index and the
/// idempotency answer can be written in the same atomic step as the entry.
/// </summary>
public static class OrderKeys
{
    /// <summary>Order id → stream entry id, for <c>GET /api/orders/{orderId}</c>.</summary>
    public static string OrderIndex(string stream, string orderId) => $"{StreamKeys.SlotPrefix(stream)}order:{orderId}";

    /// <summary>Idempotency-Key → the first answer (or a reservation while that request runs).</summary>
    public static string Idempotency(string stream, string key) => $"{StreamKeys.SlotPrefix(stream)}idempotency:{key}";

    /// <summary>Marker set after an order's e-mail went out over SMTP (SMTP itself cannot deduplicate).</summary>
    public static string Notified(string stream, string orderId) =>
        $"{StreamKeys.SlotPrefix(stream)}notified:{orderId}";
}
