using System.Text.Json.Serialization;

namespace OrdersFunctions.App.Orders;

/// <summary>The answer of <c>GET /api/orders/{orderId}</c>.</summary>
public sealed record OrderStatus(string OrderId, string StreamEntryId, IReadOnlyDictionary<string, GroupState> Groups);

/// <summary>Where an entry stands in one consumer group.</summary>
/// <param name="State"><c>waiting</c> (not yet delivered), <c>pending</c> (delivered, not acknowledged),
/// <c>done</c> (acknowledged after success), <c>dead-lettered</c> (acknowledged after giving up) or <c>discarded</c>
/// (its dead letter was discarded by an operator). After a replay of its dead letter the state is the replay's.</param>
/// <param name="Consumer">When pending: the consumer (instance) holding it.</param>
/// <param name="DeliveryCount">When pending: deliveries so far.</param>
/// <param name="Error">When dead-lettered: the recorded failure.</param>
public sealed record GroupState(
    string State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Consumer = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DeliveryCount = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null)
{
    public const string Waiting = "waiting";
    public const string Pending = "pending";
    public const string Done = "done";
    public const string DeadLettered = "dead-lettered";
    public const string Discarded = "discarded";
}
