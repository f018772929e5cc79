using System.Diagnostics;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;

namespace OrdersFunctions.RedisStreams.Consuming;

public sealed partial class StreamSubscriber
{
    // A batch span links to the producer span of each message it carries; past this many it links only the first ones.
    private const int MaxBatchLinks = 128;

    /// <summary>
    /// Runs one batch of new entries in the slot the caller took, and gives the slot back. Entries that are not for this
    /// group's handler (replays for another group, malformed or vanished entries) are settled first, one by one, exactly
    /// as single deliveries are; the rest go to the batch handler in one invocation. Never throws.
    /// </summary>
    private async Task RunBatchAsync(List<RawEntry> entries)
    {
        try
        {
            var handled = new List<RawEntry>(entries.Count);
            var messages = new List<StreamMessage>(entries.Count);
            foreach (var entry in entries)
            {
                var message = await ReadOrSettleAsync(entry, deliveryCount: 1).ConfigureAwait(false);
                if (message is null)
                    continue;
                handled.Add(entry);
                messages.Add(message);
            }
            if (messages.Count > 0)
                await HandleBatchAsync(handled, messages).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A bug of ours, not of the handler: leave the entries pending for the sweep rather than lose them.
            foreach (var entry in entries)
                _inFlight.TryRemove(entry.Id, out _);
            Log.UnexpectedError(_logger, ex, "dispatch", _stream, _group);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task HandleBatchAsync(List<RawEntry> entries, List<StreamMessage> messages)
    {
        using var activity = StartBatchActivity(messages);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _batchHandler!(messages, _cancelHandlers.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            RecordBatch(messages.Count, Stopwatch.GetElapsedTime(started), ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await OnBatchFailedAsync(entries, messages, ex).ConfigureAwait(false);
            return;
        }
        RecordBatch(messages.Count, Stopwatch.GetElapsedTime(started), null);
        StreamsTelemetry.Handled.Add(messages.Count, _tags);
        Log.BatchHandled(_logger, messages.Count, entries[0].Id, entries[^1].Id, _group, _stream);
        foreach (var entry in entries)
        {
            if (!_retries.IsEmpty)
                _retries.TryRemove(entry.Id, out _);
            Acknowledge(entry.Id);
        }
    }

    /// <summary>
    /// Nothing of a failed batch is acknowledged. Each entry counts the failed delivery on its own: it is dead-lettered
    /// if that was its last, else it waits out its backoff and the sweep delivers it again alone, so the entries that
    /// are fine succeed then and a poison entry keeps failing by itself until it is dead-lettered. One log line for the
    /// batch (with the exception), not one per entry.
    /// </summary>
    private async Task OnBatchFailedAsync(List<RawEntry> entries, List<StreamMessage> messages, Exception exception)
    {
        if (IsShutdownCancellation(exception))
        {
            foreach (var entry in entries)
                LeavePendingForShutdown(entry);
            return;
        }
        StreamsTelemetry.Failed.Add(messages.Count, _tags);
        TimeSpan? backoff = null;
        for (var i = 0; i < entries.Count; i++)
        {
            // Every entry is settled; the log line reports the first backoff (they are equal unless deliveries differ).
            var entryBackoff = await RetryOrDeadLetterAsync(entries[i], messages[i], exception).ConfigureAwait(false);
            backoff ??= entryBackoff;
        }
        if (backoff is { } wait)
            Log.BatchFailed(_logger, exception, entries.Count, entries[0].Id, entries[^1].Id, _group, _stream, wait);
        else
            Log.BatchFailedLastTime(_logger, exception, entries.Count, entries[0].Id, entries[^1].Id, _group, _stream);
    }

    private void RecordBatch(int count, TimeSpan elapsed, Exception? error)
    {
        StreamsTelemetry.HandlerDuration.Record(elapsed.TotalMilliseconds, _tags);
        // The overview's throughput counts messages, so a batch adds all of them; each is charged its share of the time.
        var share = count > 0 ? elapsed / count : elapsed;
        for (var i = 0; i < count; i++)
            OperationsTelemetry.RecordProcessed(_stream, _group, share, error);
    }

    /// <summary>One consumer span for the batch, linked to each message's producer span (the messaging conventions'
    /// shape for batch processing: a batch has many parents, so they are links, not a parent).</summary>
    private Activity? StartBatchActivity(List<StreamMessage> messages)
    {
        if (!StreamsTelemetry.ActivitySource.HasListeners())
            return null;
        var links = new List<ActivityLink>(Math.Min(messages.Count, MaxBatchLinks));
        foreach (var message in messages)
        {
            if (links.Count == MaxBatchLinks)
                break;
            if (TryGetProducerContext(message, out var context))
                links.Add(new ActivityLink(context));
        }
        var activity = StreamsTelemetry.ActivitySource.StartActivity(_activityName, ActivityKind.Consumer, default(ActivityContext), links: links);
        if (activity is not null)
        {
            TagProcessActivity(activity);
            activity.SetTag("messaging.batch.message_count", messages.Count);
        }
        return activity;
    }
}
