using Microsoft.Extensions.Options;
using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.App.Orders;

/// <summary>
/// Computes where an order stands in each consumer group from Redis's own group state (through the engine's
/// <see cref="StreamGroupInspector"/>: XPENDING on the entry, the group's last-delivered id, the dead-letter stream),
/// so the answer cannot drift from what the consumers actually did. The order id → entry id index is written by
/// <see cref="OrderIntake"/> when the order is published.
/// </summary>
public sealed class OrderStatusReader(
    IRedisConnectionFactory connections,
    StreamGroupInspector inspector,
    IOptions<OrdersOptions> options,
    OpsTopology topology)
{
    private readonly OrdersOptions _options = options.Value;

    /// <summary>The order's status, or null when no order with that id is known (never placed, or expired).</summary>
    public async Task<OrderStatus?> ReadAsync(string orderId, CancellationToken cancellationToken)
    {
        var database = (await connections.GetSharedAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
        var entryId = (string?)await database.StringGetAsync(OrderKeys.OrderIndex(_options.Stream, orderId))
            .ConfigureAwait(false);
        if (entryId is null)
            return null;

        var states = new Dictionary<string, GroupState>(StringComparer.Ordinal);
        // Every group the app's functions read the stream in, with the dead-letter stream its trigger writes to.
        foreach (var group in topology.Find(_options.Stream)?.Groups ?? [])
        {
            var status = await inspector.GetEntryStatusAsync(_options.Stream, group.Name, entryId,
                group.Options.EffectiveDeadLetterStream, cancellationToken).ConfigureAwait(false);
            states[group.Name] = status.State switch
            {
                EntryState.Pending => new GroupState(GroupState.Pending, status.Consumer, status.DeliveryCount),
                EntryState.Discarded => new GroupState(GroupState.Discarded),
                EntryState.Done => new GroupState(GroupState.Done),
                EntryState.DeadLettered => new GroupState(GroupState.DeadLettered, DeliveryCount: status.DeliveryCount,
                    // Cleaned again: records written before the engine cleaned them carry the host's stack trace.
                    Error: (status.DeadLetter?.Failure ?? FailureDescription.Of(null, null)).ToString()),
                _ => new GroupState(GroupState.Waiting), // not delivered yet, or no consumer has created the group yet
            };
        }
        return new OrderStatus(orderId, entryId, states);
    }
}
