using Microsoft.Extensions.Time.Testing;
using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests.Overview;

/// <summary>One snapshot per interval serves every reader: counted in the commands that reach Redis, with a clock
/// the test moves.</summary>
[Collection(RedisCollection.Name)]
public sealed class OverviewSnapshotsTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly RedisConnectionFactory _connections = new(redis.ConnectionString);
    private IDatabase _db = null!;

    public async Task InitializeAsync() => _db = (await redis.GetConnectionAsync()).GetDatabase();

    public async Task DisposeAsync() => await _connections.DisposeAsync();

    [Fact]
    public async Task TenReadersAtOnce_CostOneReadOfRedis_AndAgainOnlyOncePerInterval()
    {
        var stream = TestNames.Stream();
        await StreamWorld.AddEntriesAsync(_db, stream, 10);
        await _db.StreamCreateConsumerGroupAsync(stream, TestNames.Group(), "0-0");
        var counting = new CountingConnectionFactory(_connections);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var snapshots = new OverviewSnapshots(new StreamOverviewReader(counting),
            [new StreamOverviewRequest(stream)], Options(TimeSpan.FromSeconds(2)), time: time);
        async Task<OverviewSnapshot[]> TenReadersAsync() => await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(_ => Task.Run(() => snapshots.GetAsync(TimeSpan.FromSeconds(2)))));

        var first = await TenReadersAsync();
        time.Advance(TimeSpan.FromSeconds(1.5));
        var second = await TenReadersAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        var third = await TenReadersAsync();

        Assert.Single(first.Distinct());
        Assert.Same(first[0], second[0]);
        Assert.Single(third.Distinct());
        Assert.NotSame(first[0], third[0]);
        Assert.Equal(2, counting.Raw("XINFO GROUPS").Count);
        Assert.Equal(2, snapshots.ReadCount);
    }

    [Fact]
    public async Task Snapshot_CarriesTheTimeItWasTaken_SoReadersCanSayHowOldItIs()
    {
        var stream = TestNames.Stream();
        await StreamWorld.AddEntriesAsync(_db, stream, 3);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var takenAt = time.GetUtcNow();
        await using var snapshots = new OverviewSnapshots(new StreamOverviewReader(_connections),
            [new StreamOverviewRequest(stream)], Options(TimeSpan.FromSeconds(5)), time: time);

        await snapshots.GetAsync(TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(3.5));
        var snapshot = await snapshots.GetAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(takenAt, snapshot.TakenAt);
        Assert.Equal(TimeSpan.FromSeconds(3.5), snapshot.AgeAt(time.GetUtcNow()));
        Assert.Equal(3, snapshot.Find(stream)!.Length);
    }

    // No background refreshes: the reads counted are the readers' own.
    private static OverviewSnapshotOptions Options(TimeSpan minInterval) =>
        new() { MinInterval = minInterval, ReaderInterest = TimeSpan.Zero };
}
