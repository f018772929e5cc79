using Microsoft.Azure.WebJobs.Host.Scale;
using Microsoft.Extensions.Configuration;
using static OrdersFunctions.RedisStreams.WebJobs.Tests.ThroughputTests;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>The target scaler keeps its own samples (the host keeps none for it); the monitor votes from the samples
/// the host hands back. Both with hand-made samples, no Redis.</summary>
public sealed class ScalerSampleTests : IAsyncDisposable
{
    private readonly RedisConnectionFactoryCache _connections = new();

    [Fact]
    public void TargetScaler_FirstSample_FallsBackToTheBacklogRule_ThenMeasuresTheThroughput()
    {
        var scaler = Scalers().TargetScaler;

        var first = scaler.Decide(Sample(0, read: 0, pending: 16, lag: 2_384, active: 1), concurrency: 16);
        var second = scaler.Decide(Sample(10, read: 800, pending: 16, lag: 2_384, active: 1), concurrency: 16);

        Assert.Equal((19, RedisStreamScaleRuleKind.BacklogFallback), (first.TargetWorkerCount, first.Rule));
        // 80 entries per instance-second, 80 arriving per second: (2,400 / 30 s + 80) / 80 = 2 instances.
        Assert.Equal((2, RedisStreamScaleRuleKind.DrainRate, 80.0, 80.0),
            (second.TargetWorkerCount, second.Rule, second.EntriesPerInstanceSecond, second.ArrivalsPerSecond));
        Assert.Same(second, scaler.LastDecision);
    }

    [Fact]
    public void TargetScaler_WhenTheWindowCannotTell_KeepsTheLastMeasuredThroughput()
    {
        var scaler = Scalers().TargetScaler;
        scaler.Decide(Sample(0, read: 0, pending: 0, lag: 5_000, active: 1), 16);
        scaler.Decide(Sample(10, read: 800, pending: 0, lag: 5_000, active: 1), 16);

        // The backlog drained, then a burst arrived: nothing waited at the previous sample, yet the rate is known.
        scaler.Decide(Sample(60, read: 5_800, pending: 0, lag: 0, active: 1), 16);
        var burst = scaler.Decide(Sample(70, read: 5_800, pending: 0, lag: 4_800, active: 1), 16);

        // 4,800 arrived over the 60 s of the window's pairs: (4,800 / 30 s + 80) / 80 = 3 instances.
        Assert.Equal((3, RedisStreamScaleRuleKind.DrainRate, 80.0),
            (burst.TargetWorkerCount, burst.Rule, burst.EntriesPerInstanceSecond));
    }

    [Theory]
    [InlineData(1, ScaleVote.ScaleOut)]
    [InlineData(6, ScaleVote.None)]
    [InlineData(8, ScaleVote.ScaleIn)]
    public void Monitor_VotesByComparingTheTargetWithTheWorkers(int workers, ScaleVote expected)
    {
        var monitor = Scalers().Monitor;
        // 80 entries per instance-second, 160 arriving per second, 9,600 waiting: (320 + 160) / 80 = 6 instances.
        RedisStreamGroupMetrics[] samples =
        [
            Sample(0, read: 0, pending: 0, lag: 9_600, active: 2),
            Sample(10, read: 1_600, pending: 0, lag: 9_600, active: 2),
        ];

        Assert.Equal(expected, monitor.Vote(workers, samples).Vote);
    }

    [Fact]
    public void Monitor_NothingWaiting_VotesToScaleIn()
    {
        var monitor = Scalers().Monitor;

        Assert.Equal(ScaleVote.ScaleIn, monitor.Vote(2, [Sample(0, read: 10, pending: 0, lag: 0, active: 1)]).Vote);
    }

    private RedisStreamScalers Scalers(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["RedisConnection"] = "127.0.0.1:1"; // never connected to
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new RedisStreamScalerFactory(configuration, _connections)
            .Create("F", new RedisConsumerGroupTriggerAttribute("RedisConnection", "s1") { ConsumerGroup = "g1" });
    }

    public ValueTask DisposeAsync() => _connections.DisposeAsync();
}
