using OrdersFunctions.RedisStreams.Overview;

namespace OrdersFunctions.RedisStreams.UnitTests;

/// <summary>Which consumers a capped list shows, and how all of them are counted.</summary>
public sealed class ConsumerSelectionTests
{
    [Fact]
    public void Cap_UnderTheLimit_KeepsTheListAsRedisGaveIt()
    {
        var consumers = new[] { Consumer("b", 0, ConsumerState.Idle), Consumer("a", 3, ConsumerState.Dead) };

        Assert.Same(consumers, ConsumerSelection.Cap(consumers, 2));
    }

    [Fact]
    public void Cap_OverTheLimit_KeepsDeadOnesThenThoseHoldingMost_InRedisOrder()
    {
        var consumers = new[]
        {
            Consumer("a", 0, ConsumerState.Idle),
            Consumer("b", 1, ConsumerState.Alive),
            Consumer("c", 7, ConsumerState.Alive),
            Consumer("d", 2, ConsumerState.Dead),
            Consumer("e", 0, ConsumerState.Alive),
        };

        var shown = ConsumerSelection.Cap(consumers, 3);

        Assert.Equal(["b", "c", "d"], shown.Select(c => c.Name));
    }

    [Fact]
    public void StateCounts_CountEveryConsumerByState()
    {
        var counts = ConsumerStateCounts.Of([Consumer("a", 0, ConsumerState.Idle), Consumer("b", 1, ConsumerState.Dead),
            Consumer("c", 0, ConsumerState.Alive), Consumer("d", 0, ConsumerState.Alive)]);

        Assert.Equal(new ConsumerStateCounts(Alive: 2, Idle: 1, Dead: 1), counts);
        Assert.Equal(4, counts.Total);
    }

    private static ConsumerOverview Consumer(string name, long pending, ConsumerState state) =>
        new(name, pending, 1, null, state);
}
