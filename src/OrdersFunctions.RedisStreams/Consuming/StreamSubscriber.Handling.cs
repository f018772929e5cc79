using System.Diagnostics;
using System.Globalization;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Consuming;

public sealed partial class StreamSubscriber
{
    /// <summary>
    /// Runs one delivery in the slot the caller took, and gives the slot back. Never throws: every outcome ends in an
    /// acknowledgement (success, dead letter, vanished entry) or in the entry staying pending (failure, shutdown).
    /// </summary>
    private async Task RunAsync(RawEntry entry, int deliveryCount)
    {
        try
        {
            var message = await ReadOrSettleAsync(entry, deliveryCount).ConfigureAwait(false);
            if (message is not null)
                await HandleAsync(entry, message).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A bug of ours, not of the handler: leave the entry pending for the sweep rather than lose it.
            _inFlight.TryRemove(entry.Id, out _);
            Log.UnexpectedError(_logger, ex, "dispatch", _stream, _group);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// The message of an entry for this group's handler, or null when the entry is not for it and has been settled here:
    /// a replay for another group (acknowledged), a vanished entry (acknowledged), a malformed one (dead-lettered).
    /// </summary>
    private async ValueTask<StreamMessage?> ReadOrSettleAsync(RawEntry entry, int deliveryCount)
    {
        if (ReplayFields.IsForAnotherGroup(entry, _group))
        {
            SkipReplayForAnotherGroup(entry);
            return null;
        }
        var message = EnvelopeReader.TryRead(entry, _stream, _group, _consumer, deliveryCount, out var problem);
        if (message is not null)
            return message;
        if (entry.Fields is null)
        {
            Log.EntryVanished(_logger, entry.Id, _group, _stream);
            Acknowledge(entry.Id);
        }
        else
        {
            await DeadLetterAsync(entry, deliveryCount, DeadLetterFields.MalformedEntryErrorType, problem!).ConfigureAwait(false);
        }
        return null;
    }

    private async Task HandleAsync(RawEntry entry, StreamMessage message)
    {
        using var activity = StartConsumerActivity(message);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _handler(message, _cancelHandlers.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            StreamsTelemetry.HandlerDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _tags);
            OperationsTelemetry.RecordProcessed(_stream, _group, Stopwatch.GetElapsedTime(started), ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await OnHandlerFailedAsync(entry, message, ex).ConfigureAwait(false);
            return;
        }
        StreamsTelemetry.HandlerDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _tags);
        OperationsTelemetry.RecordProcessed(_stream, _group, Stopwatch.GetElapsedTime(started), null);
        StreamsTelemetry.Handled.Add(1, _tags);
        Log.Handled(_logger, entry.Id, _group, _stream, message.DeliveryCount);
        if (!_retries.IsEmpty)
            _retries.TryRemove(entry.Id, out _);
        Acknowledge(entry.Id);
    }

    private async Task OnHandlerFailedAsync(RawEntry entry, StreamMessage message, Exception exception)
    {
        if (IsShutdownCancellation(exception))
        {
            LeavePendingForShutdown(entry);
            return;
        }
        StreamsTelemetry.Failed.Add(1, _tags);
        if (message.DeliveryCount >= _options.MaxDeliveries)
            Log.HandlerFailedLastTime(_logger, exception, entry.Id, _group, _stream, message.DeliveryCount, _options.MaxDeliveries);
        var backoff = await RetryOrDeadLetterAsync(entry, message, exception).ConfigureAwait(false);
        if (backoff is { } wait)
            Log.HandlerFailed(_logger, exception, entry.Id, _group, _stream, message.DeliveryCount, _options.MaxDeliveries, wait);
    }

    /// <summary>We cancelled it for shutdown: not the handler's failure, so no retry bookkeeping and no dead letter.</summary>
    private bool IsShutdownCancellation(Exception exception) =>
        _cancelHandlers.IsCancellationRequested && exception is OperationCanceledException;

    private void LeavePendingForShutdown(RawEntry entry)
    {
        _inFlight.TryRemove(entry.Id, out _);
        Log.LeftPending(_logger, entry.Id, _group);
    }

    /// <summary>
    /// After a failed delivery: dead-letters the entry when it has had its last delivery, else records when it is due
    /// again and leaves it pending for the sweep. Returns the backoff when it will be retried, null when dead-lettered.
    /// </summary>
    private async Task<TimeSpan?> RetryOrDeadLetterAsync(RawEntry entry, StreamMessage message, Exception exception)
    {
        // Clean text for the dead-letter entry (clients see it); the full exception is logged by the caller.
        var (errorType, errorMessage) = FailureDescription.Of(exception);
        if (message.DeliveryCount >= _options.MaxDeliveries)
        {
            await DeadLetterAsync(entry, message.DeliveryCount, errorType, errorMessage).ConfigureAwait(false);
            return null;
        }
        var backoff = _options.BackoffBefore(message.DeliveryCount + 1);
        var due = _time.GetUtcNow() + backoff;
        _retries[entry.Id] = new RetryState(due, errorType, errorMessage);
        // Only after the retry state is recorded: the sweep checks in-flight first, then the retry state.
        _inFlight.TryRemove(entry.Id, out _);
        // One pending wake-up is enough: a burst of failures must not queue one sweep (one XPENDING) per failure.
        if (backoff < _options.ClaimInterval && _sweepWake.CurrentCount == 0)
            _sweepWake.Release();
        return backoff;
    }

    /// <summary>Writes the entry to the dead-letter stream with the reason, then acknowledges it. If Redis refuses
    /// the write, the entry stays pending with its reason and the sweep tries again.</summary>
    private async Task DeadLetterAsync(RawEntry entry, int deliveryCount, string errorType, string errorMessage)
    {
        var deadLetterStream = (string)_deadLetterKey!;
        try
        {
            await _database.StreamAddAsync(_deadLetterKey, BuildDeadLetter(entry, deliveryCount, errorType, errorMessage)).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisErrors.IsTransient(ex) || RedisErrors.IsNoGroup(ex) || ex is RedisServerException)
        {
            if (RedisErrors.IsTransient(ex))
                _outage.Failed(ex, "dead-letter");
            else
                Log.DeadLetterFailed(_logger, ex, entry.Id, _stream, _group, deadLetterStream);
            _retries[entry.Id] = new RetryState(_time.GetUtcNow() + _options.ClaimInterval, errorType, errorMessage);
            _inFlight.TryRemove(entry.Id, out _);
            return;
        }
        _retries.TryRemove(entry.Id, out _);
        StreamsTelemetry.DeadLettered.Add(1, _tags);
        Log.DeadLettered(_logger, entry.Id, _stream, _group, deadLetterStream, deliveryCount, errorType, errorMessage);
        Acknowledge(entry.Id);
    }

    private NameValueEntry[] BuildDeadLetter(RawEntry entry, int deliveryCount, string errorType, string errorMessage)
    {
        var fields = new List<NameValueEntry>(8 + (entry.Fields?.Length ?? 0) / 2)
        {
            new(DeadLetterFields.OriginalId, entry.Id),
            new(DeadLetterFields.Stream, _stream),
            new(DeadLetterFields.Group, _group),
            new(DeadLetterFields.Consumer, _consumer),
            new(DeadLetterFields.DeliveryCount, deliveryCount),
            new(DeadLetterFields.ErrorType, errorType),
            new(DeadLetterFields.ErrorMessage, errorMessage),
            new(DeadLetterFields.FailedAt, _time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
        };
        var original = entry.Fields;
        if (original is not null)
        {
            for (var i = 0; i + 1 < original.Length; i += 2)
            {
                var name = (string?)original[i] ?? "";
                if (IsDeadLetterField(name))
                    name = "original_" + name;
                fields.Add(new NameValueEntry(name, (RedisValue)original[i + 1]));
            }
        }
        return fields.ToArray();
    }

    private static bool IsDeadLetterField(string name) => name is DeadLetterFields.OriginalId or DeadLetterFields.Stream
        or DeadLetterFields.Group or DeadLetterFields.Consumer or DeadLetterFields.DeliveryCount
        or DeadLetterFields.ErrorType or DeadLetterFields.ErrorMessage or DeadLetterFields.FailedAt;

    private void Acknowledge(string entryId)
    {
        if (!_acks.Add(entryId))
            _inFlight.TryRemove(entryId, out _); // Stopped: it stays pending and is redelivered later.
    }

    private Activity? StartConsumerActivity(StreamMessage message)
    {
        if (!StreamsTelemetry.ActivitySource.HasListeners())
            return null;
        TryGetProducerContext(message, out var parent);
        var activity = StreamsTelemetry.ActivitySource.StartActivity(_activityName, ActivityKind.Consumer, parent);
        if (activity is not null)
        {
            TagProcessActivity(activity);
            activity.SetTag("messaging.message.id", message.MessageId);
            activity.SetTag("messaging.redis.entry_id", message.EntryId);
            activity.SetTag("messaging.redis.delivery_count", message.DeliveryCount);
        }
        return activity;
    }

    /// <summary>The producer's span context, from the message's <c>traceparent</c> / <c>tracestate</c> headers.</summary>
    private static bool TryGetProducerContext(StreamMessage message, out ActivityContext context)
    {
        message.Headers.TryGetValue(StreamEnvelope.TraceParentHeader, out var traceParent);
        message.Headers.TryGetValue(StreamEnvelope.TraceStateHeader, out var traceState);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out context);
    }

    /// <summary>The messaging conventions' tags every process span of this subscriber carries.</summary>
    private void TagProcessActivity(Activity activity)
    {
        activity.SetTag("messaging.system", "redis");
        activity.SetTag("messaging.operation.type", "process");
        activity.SetTag("messaging.destination.name", _stream);
        activity.SetTag("messaging.consumer.group.name", _group);
    }
}
