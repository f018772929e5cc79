using OrdersFunctions.RedisStreams.Overview;

namespace OrdersFunctions.RedisStreams.UnitTests;

/// <summary>The bounded lag: Redis's figure when it has one, else its counters, else a capped count; never above
/// XLEN.</summary>
public sealed class LagEstimateTests
{
    [Fact]
    public void FromCounters_ReportedLag_IsTakenAsReported()
    {
        Assert.Equal(
            new LagEstimate(7, LagSource.Reported),
            LagEstimate.FromCounters(7, entriesAdded: 100, entriesRead: 10, 50));
    }

    [Fact]
    public void FromCounters_ReportedLagAboveTheStreamLength_IsCappedAtTheLength()
    {
        // Redis 7.0 still counts entries trimmed before the group read them.
        Assert.Equal(new LagEstimate(4, LagSource.Reported), LagEstimate.FromCounters(10, null, null, streamLength: 4));
    }

    [Fact]
    public void FromCounters_NilLag_UsesEntriesAddedMinusEntriesRead()
    {
        Assert.Equal(
            new LagEstimate(6, LagSource.Counters),
            LagEstimate.FromCounters(null, entriesAdded: 10, entriesRead: 4, 9));
    }

    [Fact]
    public void FromCounters_NilLag_DifferenceAboveTheStreamLength_IsCappedAtTheLength()
    {
        Assert.Equal(
            new LagEstimate(3, LagSource.Counters),
            LagEstimate.FromCounters(null, entriesAdded: 1_000, entriesRead: 0, 3));
    }

    [Theory]
    [InlineData(null, 4L)]
    [InlineData(10L, null)]
    [InlineData(null, null)]
    public void FromCounters_NilLagWithoutBothCounters_NeedsACount(long? entriesAdded, long? entriesRead)
    {
        Assert.Null(LagEstimate.FromCounters(null, entriesAdded, entriesRead, 9));
    }

    [Fact]
    public void FromCount_BelowTheLimit_IsExact()
    {
        var lag = LagEstimate.FromCount(7, countLimit: 100, streamLength: 9);

        Assert.Equal(new LagEstimate(7, LagSource.Counted), lag);
        Assert.False(lag.IsLowerBound);
    }

    [Fact]
    public void FromCount_AtTheLimit_IsALowerBound()
    {
        var lag = LagEstimate.FromCount(5, countLimit: 5, streamLength: 9);

        Assert.Equal(new LagEstimate(5, LagSource.AtLeast), lag);
        Assert.True(lag.IsLowerBound);
        Assert.Equal("≥ 5", lag.ToString());
    }

    [Fact]
    public void Estimates_AreNeverNegative()
    {
        Assert.Equal(0, LagEstimate.FromCounters(null, entriesAdded: 3, entriesRead: 5, 9)!.Value.Entries);
        Assert.Equal(0, LagEstimate.FromCounters(-1, null, null, 9)!.Value.Entries);
    }
}
