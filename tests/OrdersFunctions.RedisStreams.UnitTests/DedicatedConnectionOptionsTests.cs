using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.UnitTests;

/// <summary>The options of the dedicated connection a subscriber's blocking read uses, derived from the shared
/// ones.</summary>
public class DedicatedConnectionOptionsTests
{
    private static ConfigurationOptions Shared(string connectionString = "localhost:6379") =>
        ConfigurationOptions.Parse(connectionString);

    [Fact]
    public void DedicatedOptions_DefaultHeartbeat_IsSlowedToTheDedicatedInterval()
    {
        var options = RedisConnectionFactory.DedicatedOptions(Shared(), "c:g:reader");

        Assert.Equal(RedisConnectionFactory.DedicatedHeartbeatInterval, options.HeartbeatInterval);
    }

    [Fact]
    public void DedicatedOptions_SlowerHeartbeatAlreadySet_IsKept()
    {
        var shared = Shared();
        shared.HeartbeatInterval = TimeSpan.FromSeconds(30);

        Assert.Equal(
            TimeSpan.FromSeconds(30), RedisConnectionFactory.DedicatedOptions(shared, "c:g:reader").HeartbeatInterval);
    }

    [Fact]
    public void DedicatedOptions_LeaveTheSharedOptionsUnchanged()
    {
        var shared = Shared();
        var heartbeat = shared.HeartbeatInterval;

        RedisConnectionFactory.DedicatedOptions(shared, "c:g:reader");

        Assert.Equal(heartbeat, shared.HeartbeatInterval);
        Assert.Null(shared.ClientName);
    }

    [Fact]
    public void DedicatedOptions_CommandTimeoutOutlastsTheLongestBlockingRead_ConnectTimeoutStays()
    {
        var options =
            RedisConnectionFactory.DedicatedOptions(Shared("localhost:6379,connectTimeout=3000"), "c:g:reader");

        Assert.True(options.AsyncTimeout > StreamSubscriberOptionsValidatorMaxBlock.TotalMilliseconds);
        Assert.Equal(3000, options.ConnectTimeout);
        Assert.Equal("c:g:reader", options.ClientName);
    }

    // The validator's upper bound for BlockTimeout.
    private static readonly TimeSpan StreamSubscriberOptionsValidatorMaxBlock = TimeSpan.FromMinutes(1);
}
