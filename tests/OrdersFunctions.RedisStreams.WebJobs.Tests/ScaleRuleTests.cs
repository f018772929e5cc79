namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>The target: enough instances to drain the backlog within TargetDrainTime while entries keep arriving,
/// at the measured throughput; the backlog rule while none is known; a host.json threshold when one is set;
/// capped.</summary>
public sealed class ScaleRuleTests
{
    private static readonly RedisStreamScaleOptions Defaults = new();

    [Fact]
    public void Decide_NothingWaitsNorArrives_AsksForNoInstance()
    {
        var decision = RedisStreamScaleRule.Decide(0, 80, 0, Defaults, 16);

        Assert.Equal((0, RedisStreamScaleRuleKind.Idle), (decision.TargetWorkerCount, decision.Rule));
    }

    [Fact]
    public void Decide_WithAThroughput_AsksForWhatDrainsTheBacklogWithinTheDrainTime()
    {
        // 9,600 waiting at 80 entries per instance-second: 4 instances drain them in 30 s.
        var decision = RedisStreamScaleRule.Decide(9_600, 80, 0, Defaults, 16);

        Assert.Equal((4, RedisStreamScaleRuleKind.DrainRate), (decision.TargetWorkerCount, decision.Rule));
    }

    [Fact]
    public void Decide_EntriesStillArriving_AddsTheInstancesThatKeepUpWithThem()
    {
        // 2,400 waiting (80/s over 30 s) and 200/s arriving: (80 + 200) / 80 = 3.5 instances.
        Assert.Equal(4, RedisStreamScaleRule.Decide(2_400, 80, 200, Defaults, 16).TargetWorkerCount);
    }

    [Fact]
    public void Decide_NothingWaitingButEntriesArriving_KeepsTheInstancesThatKeepUp()
    {
        var decision = RedisStreamScaleRule.Decide(0, 80, 200, Defaults, 16);

        Assert.Equal((3, RedisStreamScaleRuleKind.DrainRate), (decision.TargetWorkerCount, decision.Rule));
    }

    [Fact]
    public void Decide_FunctionsHostMeasurement_OneInstanceThatDrains10000PerSecond_IsEnough()
    {
        // Measured under a Functions v4 host: 68,511 waiting, one instance drained 100,000 in about 10 s. The backlog
        // rule asked for hundreds of workers.
        Assert.Equal(1, RedisStreamScaleRule.Decide(68_511, 10_000, 0, Defaults, 16).TargetWorkerCount);
        Assert.Equal(536, RedisStreamScaleRule.Decide(68_511, null, 0, Defaults, 16).TargetWorkerCount);
    }

    [Fact]
    public void Decide_WithoutAThroughput_FallsBackToTheBacklogRule()
    {
        var decision = RedisStreamScaleRule.Decide(1_000, null, 200, Defaults, 16);

        Assert.Equal((8, RedisStreamScaleRuleKind.BacklogFallback), (decision.TargetWorkerCount, decision.Rule));
    }

    [Fact]
    public void Decide_ThresholdSet_OverridesTheDrainRate()
    {
        var options = new RedisStreamScaleOptions { TargetUnprocessedEntryThreshold = 500 };

        var decision = RedisStreamScaleRule.Decide(1_001, 80, 200, options, 16);

        Assert.Equal((3, RedisStreamScaleRuleKind.Threshold), (decision.TargetWorkerCount, decision.Rule));
        Assert.Equal(0, RedisStreamScaleRule.Decide(0, 80, 200, options, 16).TargetWorkerCount);
    }

    [Fact]
    public void Decide_IsCappedAtMaxTargetWorkerCount()
    {
        var options = new RedisStreamScaleOptions { MaxTargetWorkerCount = 10 };

        Assert.Equal(10, RedisStreamScaleRule.Decide(1_000_000, 1, 0, options, 16).TargetWorkerCount);
        Assert.Equal(10, RedisStreamScaleRule.Decide(1_000_000, null, 0, options, 16).TargetWorkerCount);
    }

    [Fact]
    public void Decide_AnythingWaiting_AsksForAtLeastOneInstance()
    {
        Assert.Equal(1, RedisStreamScaleRule.Decide(1, 10_000, 0, Defaults, 16).TargetWorkerCount);
    }

    [Fact]
    public void Decide_ShorterDrainTime_AsksForMoreInstances()
    {
        var options = new RedisStreamScaleOptions { TargetDrainTime = TimeSpan.FromSeconds(10) };

        Assert.Equal(12, RedisStreamScaleRule.Decide(9_600, 80, 0, options, 16).TargetWorkerCount);
    }
}
