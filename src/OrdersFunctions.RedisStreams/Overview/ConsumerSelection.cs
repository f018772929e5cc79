namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>
/// Which consumers a capped list shows. A group can have hundreds (one per instance that ever ran, until clean-up);
/// an operator needs the ones that hold work: dead consumers first, then those holding the most pending entries, then
/// the rest. The chosen ones keep Redis's order (by name), so a list under the cap is exactly what Redis lists.
/// </summary>
internal static class ConsumerSelection
{
    public static IReadOnlyList<ConsumerOverview> Cap(IReadOnlyList<ConsumerOverview> consumers, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (consumers.Count <= max)
            return consumers;
        var chosen = consumers
            .Select((consumer, index) => (consumer, index))
            .OrderBy(c => Rank(c.consumer.State))
            .ThenByDescending(c => c.consumer.Pending)
            .ThenBy(c => c.index)
            .Take(max)
            .OrderBy(c => c.index)
            .Select(c => c.consumer)
            .ToArray();
        return chosen;
    }

    private static int Rank(ConsumerState state) => state switch
    {
        ConsumerState.Dead => 0,
        ConsumerState.Alive => 1,
        _ => 2,
    };
}
