namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>target workers = ceil((lag + pending) / (concurrency × BacklogPerInvocationSlot)).</summary>
public sealed class ScalingTests
{
    [Theory]
    [InlineData(0, 16, 0)]
    [InlineData(1, 16, 1)]
    [InlineData(128, 16, 1)]
    [InlineData(129, 16, 2)]
    [InlineData(1000, 16, 8)]
    [InlineData(10, 0, 2)] // a concurrency below 1 counts as 1
    public void TargetWorkerCount_IsTheBacklogOverWhatOneWorkerAbsorbs(long backlog, int concurrency, int expected)
    {
        Assert.Equal(expected, RedisStreamScaling.TargetWorkerCount(backlog, concurrency));
    }
}
