using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests.Overview;

/// <summary>The health probe answers from PING, XINFO GROUPS and the shared snapshot, never from a fresh overview.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class StreamHealthProbeTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly RedisConnectionFactory _connections = new(redis.ConnectionString);
    private IDatabase _db = null!;

    public async Task InitializeAsync() => _db = (await redis.GetConnectionAsync()).GetDatabase();

    public async Task DisposeAsync() => await _connections.DisposeAsync();

    [Fact]
    public async Task WithoutASnapshot_SaysTheFiguresAreNotKnownYet_AnswersExistenceAndPending_AndStartsARead()
    {
        var world = await StreamWorld.BuildAsync(_db, entries: 1_000, deadLetters: 0);
        var counting = new CountingConnectionFactory(_connections);
        await using var snapshots = Snapshots(counting, world.Stream);
        var probe = new StreamHealthProbe(counting, snapshots);

        var health = await probe.CheckAsync(world.Stream, [world.Reading, world.Middle, "no-such-group"]);

        Assert.True(health.RedisReachable);
        Assert.False(health.FiguresKnown);
        Assert.Null(health.FiguresAgeSeconds);
        var reading = health.Groups[0];
        Assert.Equal((true, 99L), (reading.Exists, reading.Pending));
        Assert.Equal(new LagEstimate(0, LagSource.Reported), reading.Lag);
        Assert.Null(reading.OldestPendingAgeSeconds); // only the snapshot knows it
        var middle = health.Groups[1];
        Assert.Equal((true, null, false), (middle.Exists, middle.Lag, middle.LagFromSnapshot));
        Assert.False(health.Groups[2].Exists);
        await Eventually.HoldsAsync(() => snapshots.Latest is not null, "the probe to have started a background read");
        Assert.Equal(1, snapshots.ReadCount);
    }

    [Fact]
    public async Task WithASnapshot_TakesTheFiguresRedisCannotGiveCheaply_FromIt_AndSaysHowOldTheyAre()
    {
        var world = await StreamWorld.BuildAsync(_db, entries: 1_000, deadLetters: 0);
        var counting = new CountingConnectionFactory(_connections);
        await using var snapshots = Snapshots(counting, world.Stream);
        var probe = new StreamHealthProbe(counting, snapshots);
        await snapshots.GetAsync(TimeSpan.FromMinutes(1));
        counting.Clear();

        var health = await probe.CheckAsync(world.Stream, [world.Reading, world.Middle]);

        Assert.True(health.FiguresKnown);
        Assert.InRange(health.FiguresAgeSeconds!.Value, 0, 60);
        var reading = health.Groups[0];
        Assert.True(reading.OldestPendingAgeSeconds >= 0);
        var middle = health.Groups[1];
        Assert.True(middle.LagFromSnapshot);
        // 499 entries after the middle one, less the deleted one: counted in full by the snapshot.
        Assert.Equal(new LagEstimate(498, LagSource.Counted), middle.Lag);
        // The probe itself: PING, XINFO GROUPS, XLEN; no overview read, nothing that reads entries.
        Assert.Equal(["PingAsync", "StreamLengthAsync", "XINFO"],
            counting.Commands.Select(c => c.Split(' ')[0]).Order());
        Assert.Equal(1, snapshots.ReadCount);
    }

    [Fact]
    public async Task RedisUnreachable_IsReported_NotThrown()
    {
        using var nothingThere = new RefusingPort();
        await using var connections =
            new RedisConnectionFactory($"127.0.0.1:{nothingThere.Port},connectTimeout=200,asyncTimeout=500");
        await using var snapshots = Snapshots(connections, "s");
        var probe = new StreamHealthProbe(connections, snapshots);

        var health = await probe.CheckAsync("s", ["g"]);

        Assert.False(health.RedisReachable);
        Assert.Empty(health.Groups);
        Assert.False(health.FiguresKnown);
    }

    private static OverviewSnapshots Snapshots(IRedisConnectionFactory connections, string stream) =>
        new(new StreamOverviewReader(connections), [new StreamOverviewRequest(stream)],
            new OverviewSnapshotOptions { ReaderInterest = TimeSpan.Zero });
}
