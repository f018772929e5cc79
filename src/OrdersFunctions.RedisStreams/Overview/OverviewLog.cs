using Microsoft.Extensions.Logging;

namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>The overview's log lines (snapshots, the background dead-letter count).</summary>
internal static partial class OverviewLog
{
    [LoggerMessage(80, LogLevel.Warning,
        "Stream overview refresh failed; readers keep the last snapshot until Redis answers " +
        "(one line per outage): {Error}")]
    public static partial void RefreshFailed(ILogger logger, string error);

    [LoggerMessage(81, LogLevel.Information, "Stream overview refreshed again after {Outage}")]
    public static partial void RefreshRecovered(ILogger logger, TimeSpan outage);

    [LoggerMessage(82, LogLevel.Warning,
        "Counting the dead letters of {DeadLetterStream} written before per-group counts existed failed; " +
        "the next overview read starts it again: {Error}")]
    public static partial void DeadLetterCountFailed(ILogger logger, string deadLetterStream, string error);
}
