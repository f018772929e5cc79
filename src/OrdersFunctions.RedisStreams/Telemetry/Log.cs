using Microsoft.Extensions.Logging;

namespace OrdersFunctions.RedisStreams.Telemetry;

/// <summary>The engine's log lines, as compiled structured templates (no formatting cost when a level is
/// off).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Subscriber {Consumer} started on {Stream} in group {Group}")]
    public static partial void Started(ILogger logger, string consumer, string stream, string group);

    [LoggerMessage(2, LogLevel.Information, "Subscriber {Consumer} stopped on {Stream} in group {Group}")]
    public static partial void Stopped(ILogger logger, string consumer, string stream, string group);

    [LoggerMessage(3, LogLevel.Debug, "Handled {EntryId} in {Group} of {Stream} (delivery {DeliveryCount})")]
    public static partial void Handled(ILogger logger, string entryId, string group, string stream, int deliveryCount);

    [LoggerMessage(4, LogLevel.Warning,
        "Handler failed for {EntryId} in {Group} of {Stream} on delivery {DeliveryCount} of {MaxDeliveries}; " +
        "it stays pending and is retried in {Backoff}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string entryId, string group,
        string stream, int deliveryCount, int maxDeliveries, TimeSpan backoff);

    [LoggerMessage(5, LogLevel.Error,
        "Dead-lettered {EntryId} of {Stream} in {Group} to {DeadLetterStream} after {DeliveryCount} deliveries: " +
        "{ErrorType}: {ErrorMessage}")]
    public static partial void DeadLettered(ILogger logger, string entryId, string stream, string group,
        string deadLetterStream, int deliveryCount, string errorType, string errorMessage);

    [LoggerMessage(6, LogLevel.Warning,
        "Redis is unavailable for {Stream} in {Group} ({Operation}): {Reason}. " +
        "Retrying with backoff; one line per outage")]
    public static partial void RedisUnavailable(ILogger logger, string stream, string group, string operation,
        string reason);

    [LoggerMessage(7, LogLevel.Information, "Redis is reachable again for {Stream} in {Group} after {Outage}")]
    public static partial void RedisRecovered(ILogger logger, string stream, string group, TimeSpan outage);

    [LoggerMessage(8, LogLevel.Warning,
        "Consumer group {Group} of {Stream} was missing (NOGROUP: stream deleted or flushed); " +
        "recreated it at {Position}")]
    public static partial void GroupRecreated(ILogger logger, string group, string stream, string position);

    [LoggerMessage(9, LogLevel.Information,
        "Claimed {EntryId} of {Stream} in {Group} from consumer {PreviousConsumer} idle for {Idle} " +
        "(delivery {DeliveryCount})")]
    public static partial void Claimed(ILogger logger, string entryId, string stream, string group,
        string previousConsumer, TimeSpan idle, int deliveryCount);

    [LoggerMessage(10, LogLevel.Warning,
        "Entry {EntryId} pending in {Group} no longer exists in {Stream} (trimmed or deleted); " +
        "acknowledged it without handling")]
    public static partial void EntryVanished(ILogger logger, string entryId, string group, string stream);

    [LoggerMessage(11, LogLevel.Information,
        "Deleted consumer {DeletedConsumer} of {Group} on {Stream}: " +
        "idle longer than {IdleTimeout} with no pending entries")]
    public static partial void ConsumerDeleted(ILogger logger, string deletedConsumer, string group, string stream,
        TimeSpan idleTimeout);

    [LoggerMessage(12, LogLevel.Warning,
        "Shutdown of {Consumer} on {Stream} in {Group} waited {Timeout}; " +
        "cancelled {Running} running handler(s), their entries stay pending")]
    public static partial void ShutdownTimedOut(ILogger logger, string consumer, string stream, string group,
        TimeSpan timeout, int running);

    [LoggerMessage(13, LogLevel.Error,
        "Unexpected error in the {Loop} of {Stream} in {Group}; continuing after a pause")]
    public static partial void UnexpectedError(ILogger logger, Exception exception, string loop, string stream,
        string group);

    [LoggerMessage(14, LogLevel.Warning,
        "Could not dead-letter {EntryId} of {Stream} in {Group} to {DeadLetterStream}; " +
        "it stays pending and is tried again")]
    public static partial void DeadLetterFailed(ILogger logger, Exception exception, string entryId, string stream,
        string group, string deadLetterStream);

    [LoggerMessage(15, LogLevel.Warning, "Removing idle consumers of {Group} on {Stream} failed: {Reason}")]
    public static partial void ConsumerCleanupFailed(ILogger logger, string group, string stream, string reason);

    [LoggerMessage(16, LogLevel.Debug,
        "Handler for {EntryId} in {Group} was cancelled by shutdown; the entry stays pending")]
    public static partial void LeftPending(ILogger logger, string entryId, string group);

    [LoggerMessage(17, LogLevel.Debug,
        "Skipped {Count} freshly read entries of {Stream} in {Group}: " +
        "the claim sweep took them first and handles them")]
    public static partial void SkippedClaimedMeanwhile(ILogger logger, int count, string stream, string group);

    [LoggerMessage(18, LogLevel.Information,
        "Consumer {Consumer} could not be registered in {Group} of {Stream} at start ({Error}); " +
        "its first read registers it")]
    public static partial void ConsumerNotRegistered(ILogger logger, string consumer, string group, string stream,
        string error);

    [LoggerMessage(19, LogLevel.Information, "Created consumer group {Group} on {Stream} at {Position}")]
    public static partial void GroupCreated(ILogger logger, string group, string stream, string position);

    [LoggerMessage(20, LogLevel.Debug, "Redis failure in detail for {Stream} in {Group} ({Operation})")]
    public static partial void RedisUnavailableDetail(ILogger logger, Exception exception, string stream, string group,
        string operation);

    // 40+: kept apart from the numbers other changes add at the same time.
    [LoggerMessage(40, LogLevel.Warning,
        "Handler failed for {EntryId} in {Group} of {Stream} on its last delivery " +
        "({DeliveryCount} of {MaxDeliveries}); dead-lettering it")]
    public static partial void HandlerFailedLastTime(ILogger logger, Exception exception, string entryId, string group,
        string stream, int deliveryCount, int maxDeliveries);

    [LoggerMessage(41, LogLevel.Debug,
        "Acknowledged {EntryId} of {Stream} in {Group} without handling: it is a replay for group {ReplayGroup}")]
    public static partial void ReplaySkipped(ILogger logger, string entryId, string stream, string group,
        string replayGroup);

    [LoggerMessage(42, LogLevel.Information,
        "Entry {EntryId} of {Stream} in {Group} had been dead-lettered to {DeadLetterStream} as {DeadLetterId} " +
        "before its acknowledgement was lost; acknowledged it, no second dead letter")]
    public static partial void DeadLetteredBefore(ILogger logger, string entryId, string stream, string group,
        string deadLetterStream, string deadLetterId);

    // 60+: batched handlers.
    [LoggerMessage(60, LogLevel.Warning,
        "Batch handler failed for {Count} entries ({FirstEntryId} to {LastEntryId}) in {Group} of {Stream}; " +
        "none is acknowledged, and each is retried on its own in {Backoff}")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int count, string firstEntryId,
        string lastEntryId, string group, string stream, TimeSpan backoff);

    [LoggerMessage(62, LogLevel.Warning,
        "Batch handler failed for {Count} entries ({FirstEntryId} to {LastEntryId}) in {Group} of {Stream} " +
        "on their last delivery; each is dead-lettered")]
    public static partial void BatchFailedLastTime(ILogger logger, Exception exception, int count, string firstEntryId,
        string lastEntryId, string group, string stream);

    [LoggerMessage(61, LogLevel.Debug,
        "Handled a batch of {Count} entries ({FirstEntryId} to {LastEntryId}) in {Group} of {Stream}")]
    public static partial void BatchHandled(ILogger logger, int count, string firstEntryId, string lastEntryId,
        string group, string stream);
}
