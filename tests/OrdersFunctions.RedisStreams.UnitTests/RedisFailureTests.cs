using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.UnitTests;

/// <summary>The one-line summary that outage warnings carry instead of StackExchange.Redis's whole
/// diagnostic.</summary>
public sealed class RedisFailureTests
{
    [Fact]
    public void ConnectionFailure_IsSummarisedToTheTypeTheGistAndTheEndpoint()
    {
        var exception = new RedisConnectionException(ConnectionFailureType.UnableToConnect,
            "The message timed out in the backlog attempting to send because no connection became available (5000ms) " +
            "- Last Connection Exception: UnableToConnect on 127.0.0.1:6379/Interactive, Initializing/NotStarted, " +
            "last: NONE, origin: BeginConnectAsync, outstanding: 0, last-read: 0s ago, last-write: 0s ago, " +
            "keep-alive: 60s, state: Connecting, mgr: 10 of 10 available, last-heartbeat: never, global: 0s ago, " +
            "v: 2.8.16.12844\nmore diagnostic lines");

        var summary = RedisFailure.Summary(exception);

        Assert.Equal(
            "RedisConnectionException: The message timed out in the backlog attempting to send because no " +
            "connection became available (5000ms) - Last Connection Exception: UnableToConnect on 127.0.0.1:6379",
            summary);
    }

    [Fact]
    public void Timeout_IsCutBeforeTheCounters()
    {
        var summary = RedisFailure.Summary(new RedisTimeoutException(
            "Timeout awaiting response (outbound=0KiB, inbound=0KiB, 5000ms elapsed, timeout is 5000ms), " +
            "command=XADD, next: XADD orders",
            CommandStatus.Sent));

        Assert.Equal("RedisTimeoutException: Timeout awaiting response", summary);
    }
}
