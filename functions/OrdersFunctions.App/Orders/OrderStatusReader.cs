using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OrdersFunctions.RedisStreams;
using StackExchange.Redis;

namespace OrdersFunctions.App.Orders;

/// <summary>
/// Computes where an order stands in each consumer group from Redis's own group state, so the answer cannot drift
/// from what the consumers actually did: pending (XPENDING on the entry) → <c>pending</c>; beyond the group's
/// last-delivered id → <c>waiting</c>; otherwise acknowledged: <c>dead-lettered</c> when the group's dead-letter stream
/// holds it, else <c>done</c>.
/// </summary>
public sealed class OrderStatusReader(IRedisConnectionFactory connections, IOptions<OrdersOptions> options, IConfiguration configuration)
{
    // Dead-letter entries are written after the original, so their ids are >= the original's; scanning from there,
    // this many at most, bounds the cost on a large dead-letter stream.
    private const int DeadLetterScanLimit = 10_000;
    private const int DeadLetterPage = 500;

    private readonly OrdersOptions _options = options.Value;

    /// <summary>The order's status, or null when no order with that id is known (never placed, or expired).</summary>
    public async Task<OrderStatus?> ReadAsync(string orderId, CancellationToken cancellationToken)
    {
        var database = (await connections.GetSharedAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
        var entryId = (string?)await database.StringGetAsync(OrderKeys.OrderIndex(_options.Stream, orderId)).ConfigureAwait(false);
        if (entryId is null)
            return null;

        var groups = await ReadGroupsAsync(database).ConfigureAwait(false);
        var states = new Dictionary<string, GroupState>(StringComparer.Ordinal);
        foreach (var (group, function) in new[]
                 {
                     (_options.NotificationsGroup, "SendOrderNotification"),
                     (_options.SpreadsheetsGroup, "AppendOrderToSpreadsheet"),
                 })
        {
            states[group] = await ReadStateAsync(database, entryId, group, groups.GetValueOrDefault(group), DeadLetterStreamOf(function)).ConfigureAwait(false);
        }
        return new OrderStatus(orderId, entryId, states);
    }

    private async Task<GroupState> ReadStateAsync(IDatabase database, string entryId, string group, string? lastDeliveredId, string deadLetterStream)
    {
        if (lastDeliveredId is null || StreamIds.Compare(entryId, lastDeliveredId) > 0)
            return new GroupState(GroupState.Waiting); // no group yet (no consumer started), or not read yet

        var pending = await database.StreamPendingMessagesAsync(_options.Stream, group, 1, RedisValue.Null, entryId, entryId).ConfigureAwait(false);
        if (pending.Length == 1)
            return new GroupState(GroupState.Pending, pending[0].ConsumerName!, pending[0].DeliveryCount);

        var deadLetter = await FindDeadLetterAsync(database, deadLetterStream, entryId, group).ConfigureAwait(false);
        return deadLetter is null ? new GroupState(GroupState.Done) : new GroupState(GroupState.DeadLettered, Error: deadLetter);
    }

    /// <summary>The error of the dead-letter entry for (<paramref name="entryId"/>, <paramref name="group"/>), or null.</summary>
    private static async Task<string?> FindDeadLetterAsync(IDatabase database, string deadLetterStream, string entryId, string group)
    {
        var from = StreamIds.TimePart(entryId) + "-0";
        for (var scanned = 0; scanned < DeadLetterScanLimit; scanned += DeadLetterPage)
        {
            var page = await database.StreamRangeAsync(deadLetterStream, from, "+", DeadLetterPage).ConfigureAwait(false);
            foreach (var entry in page)
            {
                if (entry[DeadLetterFields.OriginalId] == entryId && entry[DeadLetterFields.Group] == group)
                {
                    var type = (string?)entry[DeadLetterFields.ErrorType];
                    var message = (string?)entry[DeadLetterFields.ErrorMessage];
                    return string.IsNullOrEmpty(message) ? type ?? "unknown" : $"{type}: {message}";
                }
            }
            if (page.Length < DeadLetterPage)
                return null;
            from = "(" + page[^1].Id;
        }
        return null;
    }

    private async Task<Dictionary<string, string?>> ReadGroupsAsync(IDatabase database)
    {
        try
        {
            var groups = await database.StreamGroupInfoAsync(_options.Stream).ConfigureAwait(false);
            return groups.ToDictionary(g => g.Name, g => g.LastDeliveredId, StringComparer.Ordinal);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            return new Dictionary<string, string?>();
        }
    }

    // The same resolution the trigger uses: per-function setting, then app-wide, then {stream}:dead-letter.
    private string DeadLetterStreamOf(string functionName)
    {
        var perFunction = configuration[$"{StreamSubscriberOptions.SectionName}:Functions:{functionName}:DeadLetterStream"];
        var appWide = configuration[$"{StreamSubscriberOptions.SectionName}:DeadLetterStream"];
        return !string.IsNullOrWhiteSpace(perFunction) ? perFunction
            : !string.IsNullOrWhiteSpace(appWide) ? appWide
            : _options.Stream + ":dead-letter";
    }
}
