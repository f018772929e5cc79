using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests.Overview;

/// <summary>The overview costs O(groups + consumers), never O(entries): the same commands for a stream ten times
/// larger, exact dead-letter counts from the kept counts, a bounded lag where Redis cannot tell one, and long consumer
/// lists capped with the rest counted.</summary>
[Collection(RedisCollection.Name)]
public sealed class OverviewCostTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly RedisConnectionFactory _connections = new(redis.ConnectionString);
    private IDatabase _db = null!;

    public async Task InitializeAsync() => _db = (await redis.GetConnectionAsync()).GetDatabase();

    public async Task DisposeAsync() => await _connections.DisposeAsync();

    [Fact]
    public async Task ReadAsync_StreamTenTimesLarger_SendsTheSameFewCommands_WithExactDeadLettersAndABoundedLag()
    {
        var small = await StreamWorld.BuildAsync(_db, entries: 5_000, deadLetters: 2_000);
        var large = await StreamWorld.BuildAsync(_db, entries: 50_000, deadLetters: 20_000);
        var counting = new CountingConnectionFactory(_connections);
        var reader = new StreamOverviewReader(counting);

        await reader.ReadAsync(new StreamOverviewRequest(small.Stream));
        var smallCommands = Shapes(counting.Commands);
        counting.Clear();
        var overview = await reader.ReadAsync(new StreamOverviewRequest(large.Stream));
        var largeCommands = Shapes(counting.Commands);

        Assert.Equal(smallCommands, largeCommands);
        Assert.InRange(largeCommands.Count, 1, 16);
        // The only command that reads entries is the count of the group no counter tells, and it is capped.
        var ranges = counting.Raw("XRANGE");
        Assert.Equal(large.Stream, Assert.Single(ranges).Split(' ')[1]);
        Assert.True(int.Parse(ranges[0].Split(' ')[^1]) <= 1_000, ranges[0]);

        Assert.True(overview.DeadLetterCountsExact);
        Assert.Equal(20_000, overview.DeadLetterLength);
        foreach (var (group, count) in large.DeadLettersByGroup)
            Assert.Equal(count, overview.Groups.Single(g => g.Name == group).DeadLetters);
        Assert.Equal(49_999, overview.Length);
        Assert.Equal(50_000, overview.EntriesAdded);

        var reading = overview.Groups.Single(g => g.Name == large.Reading);
        Assert.Equal(new LagEstimate(0, LagSource.Reported), reading.LagEstimate);
        Assert.False(reading.LagCounted);
        Assert.Equal(99, reading.Pending);
        Assert.NotNull(reading.OldestPendingId);
        // entries-added (50,000) − entries-read (10): the deleted entry is still counted, hence an estimate.
        var deleted = overview.Groups.Single(g => g.Name == large.Deleted);
        Assert.Equal(new LagEstimate(49_990, LagSource.Counters), deleted.LagEstimate);
        var middle = overview.Groups.Single(g => g.Name == large.Middle);
        Assert.Equal(LagSource.AtLeast, middle.LagEstimate.Source);
        Assert.True(middle.LagCounted);
        Assert.Equal(middle.LagEstimate.Entries, middle.Lag);
        Assert.InRange(middle.Lag!.Value, 10, 1_000);
    }

    [Fact]
    public async Task ReadAsync_LagNoCounterTells_IsCountedWithinItsShareOfTheBudget_ElseReportedAsAtLeast()
    {
        var stream = TestNames.Stream();
        var ids = await StreamWorld.AddEntriesAsync(_db, stream, 100);
        var (near, far) = (TestNames.Group("near"), TestNames.Group("far"));
        await _db.StreamCreateConsumerGroupAsync(stream, near, ids[94]); // 5 entries after it
        await _db.StreamCreateConsumerGroupAsync(stream, far, ids[49]); // 50 after it

        // A budget of 20 over two such groups: each may count 10.
        var overview = await new StreamOverviewReader(_connections)
            .ReadAsync(new StreamOverviewRequest(stream) { LagCountBudget = 20 });

        Assert.Equal(new LagEstimate(5, LagSource.Counted), overview.Groups.Single(g => g.Name == near).LagEstimate);
        Assert.Equal(new LagEstimate(10, LagSource.AtLeast), overview.Groups.Single(g => g.Name == far).LagEstimate);
    }

    [Fact]
    public async Task ReadAsync_MoreConsumersThanTheCap_ListsThoseHoldingWorkFirst_AndCountsTheRestByState()
    {
        var stream = TestNames.Stream();
        await StreamWorld.AddEntriesAsync(_db, stream, 10);
        var group = TestNames.Group();
        await _db.StreamCreateConsumerGroupAsync(stream, group, "0-0");
        for (var i = 0; i < 30; i++)
            await _db.ExecuteAsync("XGROUP", "CREATECONSUMER", stream, group, $"c{i:00}");
        foreach (var holder in new[] { "c05", "c17", "c29" })
            await _db.StreamReadGroupAsync(stream, group, holder, ">", 2);
        await Task.Delay(150); // past the ClaimMinIdle below: the holders are dead, the others idle

        var overview = await new StreamOverviewReader(_connections).ReadAsync(
            new StreamOverviewRequest(stream, ClaimMinIdle: TimeSpan.FromMilliseconds(100))
            {
                MaxConsumersPerGroup = 20,
            });

        var g = Assert.Single(overview.Groups);
        Assert.Equal(20, g.Consumers.Count);
        Assert.Equal((30, 10), (g.ConsumerCount, g.ConsumersNotShown));
        Assert.Equal(new ConsumerStateCounts(Alive: 0, Idle: 27, Dead: 3), g.ConsumerStates);
        Assert.Equal(["c05", "c17", "c29"], g.Consumers.Where(c => c.State == ConsumerState.Dead).Select(c => c.Name));
        Assert.Equal(g.Consumers.Select(c => c.Name).Order(StringComparer.Ordinal), g.Consumers.Select(c => c.Name));
    }

    [Fact]
    public async Task ReadAsync_DeadLettersWrittenBeforeTheCountsExisted_NotExactAtFirst_ThenCountedInTheBackground()
    {
        var stream = TestNames.Stream();
        await _db.StreamAddAsync(stream, "n", 1);
        var (a, b) = (TestNames.Group("a"), TestNames.Group("b"));
        await _db.StreamCreateConsumerGroupAsync(stream, a, "$");
        await _db.StreamCreateConsumerGroupAsync(stream, b, "$");
        // As an earlier version wrote them: the fields only, no counts.
        for (var i = 0; i < 1_200; i++)
            await _db.StreamAddAsync(stream + ":dead-letter",
                [new("stream", stream), new("group", i % 3 == 0 ? b : a), new("original_id", $"{i + 1}-0")]);
        var reader = new StreamOverviewReader(_connections);

        var first = await reader.ReadAsync(new StreamOverviewRequest(stream));

        Assert.False(first.DeadLetterCountsExact);
        StreamOverview? later = null;
        await Eventually.HoldsAsync(async () =>
            (later = await reader.ReadAsync(new StreamOverviewRequest(stream))).DeadLetterCountsExact == true,
            "the background count to finish");
        Assert.Equal((800L, 400L), (later!.Groups.Single(g => g.Name == a).DeadLetters!.Value,
            later.Groups.Single(g => g.Name == b).DeadLetters!.Value));
    }

    /// <summary>The commands without their keys, sorted: what a read does, whatever the stream is called.</summary>
    private static List<string> Shapes(IEnumerable<string> commands) =>
        commands.Select(c => c.Split(' ') switch
            {
                ["XINFO", var sub, ..] => "XINFO " + sub,
                [var name, ..] => name,
                _ => c,
            })
            .Order(StringComparer.Ordinal)
            .ToList();
}
