namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>Throughput per instance = Σ Δ(entries-read − pending) / Σ (Δt × mean working consumers), over the
/// sample pairs in the window during which entries waited at both ends.</summary>
public sealed class ThroughputTests
{
    private static readonly DateTime T0 = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    [Fact]
    public void PerInstanceSecond_BusySamples_IsSettledEntriesPerInstanceSecond()
    {
        var rate = RedisStreamThroughput.PerInstanceSecond(
            [Sample(0, read: 0, pending: 10, lag: 500, active: 2),
             Sample(10, read: 1_600, pending: 10, lag: 500, active: 2)], Window);

        Assert.Equal(80, rate);
    }

    [Fact]
    public void PerInstanceSecond_InstancesAddedBetweenSamples_CountsTheMeanOfBothEnds()
    {
        var rate = RedisStreamThroughput.PerInstanceSecond(
            [Sample(0, read: 0, pending: 0, lag: 500, active: 2),
             Sample(10, read: 2_400, pending: 0, lag: 500, active: 4)], Window);

        Assert.Equal(80, rate);
    }

    [Fact]
    public void PerInstanceSecond_PendingThatGrew_IsNotCountedAsDone()
    {
        var rate = RedisStreamThroughput.PerInstanceSecond(
            [Sample(0, read: 0, pending: 0, lag: 500, active: 1),
             Sample(10, read: 1_000, pending: 200, lag: 500, active: 1)], Window);

        Assert.Equal(80, rate);
    }

    [Theory]
    [InlineData(0, 500)]
    [InlineData(500, 0)]
    public void PerInstanceSecond_NothingWaitingAtAnEnd_IsUnknown(long lagBefore, long lagAfter)
    {
        // The instances may have been idle part of the time: the rate would be the arrival rate, not their capacity.
        var rate = RedisStreamThroughput.PerInstanceSecond(
            [Sample(0, read: 0, pending: 0, lag: lagBefore, active: 1),
             Sample(10, read: 100, pending: 0, lag: lagAfter, active: 1)], Window);

        Assert.Null(rate);
    }

    [Fact]
    public void PerInstanceSecond_WithoutAReadCounter_IsUnknown()
    {
        var rate = RedisStreamThroughput.PerInstanceSecond(
            [Sample(0, read: null, pending: 0, lag: 500, active: 1),
             Sample(10, read: null, pending: 0, lag: 500, active: 1)], Window);

        Assert.Null(rate);
    }

    [Fact]
    public void PerInstanceSecond_WithoutWorkingConsumers_IsUnknown()
    {
        var rate = RedisStreamThroughput.PerInstanceSecond(
            [Sample(0, read: 0, pending: 0, lag: 500, active: 0),
             Sample(10, read: 0, pending: 0, lag: 500, active: 0)], Window);

        Assert.Null(rate);
    }

    [Fact]
    public void PerInstanceSecond_OnlyPairsEndingWithinTheWindowCount()
    {
        var rate = RedisStreamThroughput.PerInstanceSecond(
        [
            Sample(0, read: 0, pending: 0, lag: 500, active: 1),
            Sample(10, read: 100, pending: 0, lag: 500, active: 1),  // 10/s, ends 40 s before the latest
            Sample(40, read: 2_500, pending: 0, lag: 500, active: 1),
            Sample(50, read: 3_300, pending: 0, lag: 500, active: 1), // 80/s in both recent pairs
        ], Window);

        Assert.Equal(80, rate);
    }

    [Fact]
    public void PerInstanceSecond_SamplesFurtherApartThanTheWindow_StillUseTheLatestPair()
    {
        var rate = RedisStreamThroughput.PerInstanceSecond(
            [Sample(0, read: 0, pending: 0, lag: 500, active: 1),
             Sample(60, read: 4_800, pending: 0, lag: 500, active: 1)], Window);

        Assert.Equal(80, rate);
    }

    [Fact]
    public void ArrivalsPerSecond_IsTheGrowthOfReadPlusWaiting_WhetherOrNotAnythingWaited()
    {
        var rate = RedisStreamThroughput.ArrivalsPerSecond(
        [
            Sample(0, read: 100, pending: 0, lag: 0, active: 1),
            Sample(10, read: 900, pending: 0, lag: 1_200, active: 1),
            Sample(20, read: 1_700, pending: 0, lag: 2_400, active: 1),
        ], Window);

        Assert.Equal(200, rate);
    }

    [Fact]
    public void ArrivalsPerSecond_LagOnlyALowerBound_IsLeftOut()
    {
        var atLeast = Sample(10, read: 100, pending: 0, lag: 10_000, active: 1);
        atLeast.LagSource = nameof(Overview.LagSource.AtLeast);

        var exact = Sample(0, read: 0, pending: 0, lag: 0, active: 1);

        Assert.Null(RedisStreamThroughput.ArrivalsPerSecond([exact, atLeast], Window));
    }

    internal static RedisStreamGroupMetrics Sample(double seconds, long? read, long pending, long lag, int active) =>
        new()
        {
            Timestamp = T0.AddSeconds(seconds),
            EntriesRead = read,
            Pending = pending,
            Lag = lag,
            ActiveConsumers = active,
        };
}
