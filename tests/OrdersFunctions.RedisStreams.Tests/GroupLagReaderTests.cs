using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary><see cref="GroupLagReader"/> against real Redis: each case builds the group state that makes Redis answer
/// a lag, a nil lag with counters, or nothing, with explicit ids.</summary>
[Collection(RedisCollection.Name)]
public sealed class GroupLagReaderTests(RedisServerFixture redis) : IAsyncLifetime
{
    private IDatabase _db = null!;

    public async Task InitializeAsync() => _db = (await redis.GetConnectionAsync()).GetDatabase();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ReadAsync_RedisReportsTheLag_TakesIt()
    {
        var (stream, group) = await StreamWithGroupAsync(entries: 10, groupAt: "0", read: 4);

        var lag = await GroupLagReader.ReadAsync(_db, stream, group);

        Assert.NotNull(lag);
        Assert.Equal(
            (new LagEstimate(6, LagSource.Reported), 4L, 4L, 10L),
            (lag.Lag, lag.Pending, lag.EntriesRead, lag.StreamLength));
        Assert.Equal(10, lag.Backlog);
    }

    [Fact]
    public async Task ReadAsync_EntryDeletedAfterTheGroupsPosition_NilLag_UsesTheCounters()
    {
        var (stream, group) = await StreamWithGroupAsync(entries: 10, groupAt: "0", read: 4);
        await _db.StreamDeleteAsync(stream, ["7-1"]);

        var lag = await GroupLagReader.ReadAsync(_db, stream, group);

        // Redis answers nil here; entries-added (10) − entries-read (4) still counts the deleted entry.
        Assert.Equal(new LagEstimate(6, LagSource.Counters), lag!.Lag);
    }

    [Fact]
    public async Task ReadAsync_GroupSetInsideTheStream_NoCounters_CountsTheEntriesAfterIt()
    {
        var (stream, group) = await StreamWithGroupAsync(entries: 10, groupAt: "3-1", read: 0);

        var lag = await GroupLagReader.ReadAsync(_db, stream, group);

        Assert.Equal(new LagEstimate(7, LagSource.Counted), lag!.Lag);
        Assert.Null(lag.EntriesRead);
    }

    [Fact]
    public async Task ReadAsync_CountReachingItsLimit_IsReportedAsAtLeastTheLimit()
    {
        var (stream, group) = await StreamWithGroupAsync(entries: 10, groupAt: "3-1", read: 0);

        var lag = await GroupLagReader.ReadAsync(_db, stream, group, countLimit: 5);

        Assert.Equal(new LagEstimate(5, LagSource.AtLeast), lag!.Lag);
        Assert.True(lag.Lag.IsLowerBound);
    }

    [Fact]
    public async Task ReadAsync_EntriesTrimmedBeforeTheGroupReadThem_LagIsAtMostTheStreamLength()
    {
        var (stream, group) = await StreamWithGroupAsync(entries: 10, groupAt: "0", read: 0);
        await _db.StreamTrimAsync(stream, 4);

        var lag = await GroupLagReader.ReadAsync(_db, stream, group);

        Assert.Equal(4, lag!.Lag.Entries);
        Assert.Equal(4, lag.StreamLength);
    }

    [Fact]
    public async Task ReadAsync_MissingGroupOrStream_IsNull()
    {
        var (stream, _) = await StreamWithGroupAsync(entries: 1, groupAt: "0", read: 0);

        Assert.Null(await GroupLagReader.ReadAsync(_db, stream, "no-such-group"));
        Assert.Null(await GroupLagReader.ReadAsync(_db, TestNames.Stream(), "g"));
    }

    private async Task<(string Stream, string Group)> StreamWithGroupAsync(int entries, string groupAt, int read,
        [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var stream = TestNames.Stream(test);
        var group = TestNames.Group("g", test);
        for (var i = 1; i <= entries; i++)
            await _db.StreamAddAsync(stream, "f", "v", $"{i}-1");
        await _db.StreamCreateConsumerGroupAsync(stream, group, groupAt, createStream: false);
        if (read > 0)
            await _db.StreamReadGroupAsync(stream, group, "c", ">", read);
        return (stream, group);
    }
}
