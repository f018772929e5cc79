using System.Text.Json;
using StackExchange.Redis;

namespace OrdersFunctions.Bench.Scale.Checks;

/// <summary>An instance killed with SIGKILL and the orders its consumer held at that moment, per group: those, and
/// only those, may be delivered twice (a mail accepted by the server just before the kill, sent again by the
/// claimer).</summary>
public sealed record KilledInstance(
    string Name,
    TimeSpan At,
    IReadOnlyDictionary<string, IReadOnlySet<string>> PendingOrdersByGroup)
{
    public int PendingAtKill => PendingOrdersByGroup.Values.Sum(s => s.Count);

    /// <summary>Reads what the killed consumer holds in each group, right after the kill.</summary>
    public static async Task<KilledInstance> CaptureAsync(IDatabase redis, string stream, string name, TimeSpan at)
    {
        var byGroup = new Dictionary<string, IReadOnlySet<string>>();
        foreach (var group in AppFunctions.Groups)
        {
            var pending = await redis.StreamPendingMessagesAsync(stream, group, 100_000, name);
            var orders = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in pending)
            {
                var found = await redis.StreamRangeAsync(stream, entry.MessageId, entry.MessageId);
                if (found.Length == 1 && OrderIdOf(found[0]) is { } orderId)
                    orders.Add(orderId);
            }
            byGroup[group] = orders;
        }
        return new KilledInstance(name, at, byGroup);
    }

    private static string? OrderIdOf(StreamEntry entry)
    {
        var payload = entry["payload"];
        if (payload.IsNull)
            return null;
        using var document = JsonDocument.Parse((string)payload!);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name.Equals("orderId", StringComparison.OrdinalIgnoreCase))
                return property.Value.GetString();
        }
        return null;
    }
}
