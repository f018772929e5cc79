using Microsoft.Extensions.Logging;

namespace OrdersFunctions.RedisStreams.Retention;

/// <summary>Retention's log lines (event ids 100–119, apart from the subscriber's).</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(100, LogLevel.Debug,
        "Retention trimmed {Trimmed} entries of {Stream} below {FloorId} (held by {HeldBy}) " +
        "and {DeadLettersTrimmed} dead letters of {DeadLetterStream}")]
    public static partial void Trimmed(ILogger logger, long trimmed, string stream, string floorId, string heldBy,
        long deadLettersTrimmed, string deadLetterStream);

    [LoggerMessage(101, LogLevel.Warning,
        "Retention safety valve ({Valve}) trimmed {Stream} below {FloorId} past group {Group}: " +
        "it lost {Lost} unread or unacknowledged entries (counted up to {CountLimit})")]
    public static partial void ValveTrimmed(ILogger logger, string valve, string stream, string floorId, string group,
        long lost, int countLimit);

    [LoggerMessage(102, LogLevel.Warning,
        "Retention is off for {Stream}: Redis {Version} has no XTRIM MINID (needs 6.2 or later); " +
        "the stream is not trimmed. Upgrade Redis, or trim with the publisher's MaxLength")]
    public static partial void Unsupported(ILogger logger, string stream, string version);

    [LoggerMessage(103, LogLevel.Warning, "Retention of {Stream} failed and is retried in {Interval}: {Error}")]
    public static partial void Failed(ILogger logger, string stream, TimeSpan interval, string error);
}
