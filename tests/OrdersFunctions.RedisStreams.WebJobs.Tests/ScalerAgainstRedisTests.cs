using Microsoft.Azure.WebJobs.Host.Scale;
using Microsoft.Extensions.Configuration;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>The scalers the factory builds read real group state: a nil lag or a lag above XLEN is bounded, not taken
/// as zero or as the stream's history.</summary>
[Collection(RedisCollection.Name)]
public sealed class ScalerAgainstRedisTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly RedisConnectionFactoryCache _connections = new();
    private IDatabase _db = null!;

    public async Task InitializeAsync() => _db = (await redis.GetConnectionAsync()).GetDatabase();

    public async Task DisposeAsync() => await _connections.DisposeAsync();

    [Fact]
    public async Task TargetScaler_NilLagAfterADeletion_CountsTheEntriesAfterTheGroupsPosition()
    {
        var (stream, group) = await GroupAsync(entries: 1_000, read: 10);
        await _db.StreamDeleteAsync(stream, ["500-1"]); // Redis now answers a nil lag for the group

        var result = await Scalers(stream, group).TargetScaler.GetScaleResultAsync(new TargetScalerContext());

        // entries-added 1,000 − entries-read 10 = 990 waiting + 10 pending, 100 per worker (the setting): 10 workers.
        Assert.Equal(10, result.TargetWorkerCount);
    }

    [Fact]
    public async Task Monitor_LagAboveTheStreamLengthAfterATrim_IsCappedAtTheLength()
    {
        var (stream, group) = await GroupAsync(entries: 1_000, read: 0);
        await _db.StreamTrimAsync(stream, 100); // Redis 7.0 still reports a lag of 1,000

        var metrics = await Scalers(stream, group).Monitor.GetMetricsAsync();

        Assert.Equal(100, metrics.Lag);
        Assert.Equal(0, metrics.ActiveConsumers);
    }

    [Fact]
    public async Task Monitor_ConsumerThatJustReceivedEntries_CountsAsWorking()
    {
        var (stream, group) = await GroupAsync(entries: 20, read: 10);

        var metrics = await Scalers(stream, group).Monitor.GetMetricsAsync();

        Assert.Equal((10L, 10L, 10L, 1), (metrics.Lag, metrics.Pending, metrics.EntriesRead, metrics.ActiveConsumers));
    }

    private async Task<(string Stream, string Group)> GroupAsync(int entries, int read,
        [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var stream = TestNames.Stream(test);
        var group = TestNames.Group("g", test);
        var batch = _db.CreateBatch();
        var adds = Enumerable.Range(1, entries).Select(i => batch.StreamAddAsync(stream, "f", "v", $"{i}-1")).ToArray();
        batch.Execute();
        await Task.WhenAll(adds);
        await _db.StreamCreateConsumerGroupAsync(stream, group, "0", createStream: false);
        if (read > 0)
            await _db.StreamReadGroupAsync(stream, group, "c", ">", read);
        return (stream, group);
    }

    private RedisStreamScalers Scalers(string stream, string group)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RedisConnection"] = redis.ConnectionString,
            ["AzureFunctionsJobHost:extensions:redisStreams:targetUnprocessedEntryThreshold"] = "100",
        }).Build();
        return new RedisStreamScalerFactory(configuration, _connections)
            .Create("F", new RedisConsumerGroupTriggerAttribute("RedisConnection", stream) { ConsumerGroup = group });
    }
}
