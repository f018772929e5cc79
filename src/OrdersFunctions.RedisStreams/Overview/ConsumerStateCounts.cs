namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>How many of a group's consumers are in each <see cref="ConsumerState"/>: all of them, also those a capped
/// list leaves out (<see cref="GroupOverview.ConsumersNotShown"/>).</summary>
/// <param name="Alive">Seen within ClaimMinIdle.</param>
/// <param name="Idle">Not seen for longer, holding nothing.</param>
/// <param name="Dead">Not seen for longer, holding pending entries.</param>
public sealed record ConsumerStateCounts(int Alive, int Idle, int Dead)
{
    /// <summary>No consumers.</summary>
    public static ConsumerStateCounts None { get; } = new(0, 0, 0);

    /// <summary>Every consumer counted.</summary>
    public int Total => Alive + Idle + Dead;

    /// <summary>The counts of <paramref name="consumers"/>.</summary>
    public static ConsumerStateCounts Of(IEnumerable<ConsumerOverview> consumers)
    {
        ArgumentNullException.ThrowIfNull(consumers);
        int alive = 0, idle = 0, dead = 0;
        foreach (var consumer in consumers)
        {
            switch (consumer.State)
            {
                case ConsumerState.Alive: alive++; break;
                case ConsumerState.Idle: idle++; break;
                default: dead++; break;
            }
        }
        return new ConsumerStateCounts(alive, idle, dead);
    }
}
