using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;

namespace OrdersFunctions.RedisStreams.Consuming;

/// <summary>Logs one warning when Redis becomes unreachable and one information line when it answers again, however
/// many operations fail in between, so an outage costs two log lines rather than thousands. The warning names the
/// problem as the connection factory classifies it (<see cref="RedisConnectionProblem"/>: the setting and the fix), or
/// for a failure that is not about the connection a one-line summary; StackExchange.Redis's multi-line diagnostic and
/// the stack go to Debug.</summary>
internal sealed class OutageTracker(
    ILogger logger, string stream, string group, Func<Exception, RedisConnectionProblem>? describe = null)
{
    private int _down;
    private long _downSince;

    public void Failed(Exception exception, string operation)
    {
        if (Interlocked.Exchange(ref _down, 1) != 0)
            return;
        Volatile.Write(ref _downSince, Stopwatch.GetTimestamp());
        Log.RedisUnavailable(logger, stream, group, operation, Reason(exception));
        Log.RedisUnavailableDetail(logger, exception, stream, group, operation);
    }

    private string Reason(Exception exception) =>
        describe?.Invoke(exception) is { Kind: not RedisConnectionProblemKind.Other } problem
            ? problem.Message
            : RedisFailure.Summary(exception);

    public void Succeeded()
    {
        if (Volatile.Read(ref _down) == 0 || Interlocked.Exchange(ref _down, 0) == 0)
            return;
        Log.RedisRecovered(logger, stream, group, Stopwatch.GetElapsedTime(Volatile.Read(ref _downSince)));
    }
}

/// <summary>A capped doubling delay for retrying after a failure: 100 ms, 200 ms, … up to 5 s.</summary>
internal struct RetryDelay
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(5);
    private TimeSpan _next;

    public TimeSpan Next()
    {
        var current = _next < First ? First : _next;
        _next = current * 2 > Cap ? Cap : current * 2;
        return current;
    }

    public void Reset() => _next = TimeSpan.Zero;
}

/// <summary>Classifies Redis failures.</summary>
internal static class RedisErrors
{
    /// <summary>
    /// Failures that pass when Redis is reachable again (connection, timeout, server starting or failing over).
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        StackExchange.Redis.RedisConnectionException => true,
        StackExchange.Redis.RedisTimeoutException => true,
        TimeoutException => true,
        StackExchange.Redis.RedisServerException server =>
            server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
            || server.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("READONLY", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>The group (or the stream with it) is gone: NOGROUP, or UNBLOCKED when the stream was deleted under a
    /// blocked read (Redis 7).</summary>
    public static bool IsNoGroup(Exception exception) =>
        exception is StackExchange.Redis.RedisServerException server
        && (server.Message.StartsWith("NOGROUP", StringComparison.Ordinal)
            || server.Message.StartsWith("UNBLOCKED", StringComparison.Ordinal));
}
