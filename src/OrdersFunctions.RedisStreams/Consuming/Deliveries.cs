using System.Diagnostics;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;

namespace OrdersFunctions.RedisStreams.Consuming;

/// <summary>
/// Runs deliveries, one entry or one batch each, in the slot the dispatcher took, and settles every outcome: success is
/// acknowledged; a failure is recorded in the ledger for a retry after its backoff, or dead-lettered on its last
/// delivery; shutdown leaves the entry pending. Entries that are not for this group's handler (a replay for another
/// group, a vanished or malformed entry) are settled before the handler runs. Never throws.
/// </summary>
internal sealed class Deliveries
{
    private readonly SubscriberContext _context;
    private readonly DeliveryLedger _ledger;
    private readonly HandlerSlots _slots;
    private readonly AckBatcher _acks;
    private readonly DeadLetterWriter _deadLetters;
    private readonly StreamMessageHandler _handler;
    private readonly StreamBatchHandler? _batchHandler;
    private readonly DeliverySpans _spans;
    private readonly CancellationToken _handlersCancelled;
    private readonly Action<TimeSpan> _retryScheduled;

    // retryScheduled is told the backoff of every retry, so the sweep can wake up early for it.
    public Deliveries(
        SubscriberContext context,
        DeliveryLedger ledger,
        HandlerSlots slots,
        AckBatcher acks,
        DeadLetterWriter deadLetters,
        StreamMessageHandler handler,
        StreamBatchHandler? batchHandler,
        CancellationToken handlersCancelled,
        Action<TimeSpan> retryScheduled)
    {
        _context = context;
        _ledger = ledger;
        _slots = slots;
        _acks = acks;
        _deadLetters = deadLetters;
        _handler = handler;
        _batchHandler = batchHandler;
        _handlersCancelled = handlersCancelled;
        _retryScheduled = retryScheduled;
        _spans = new DeliverySpans(context.Stream, context.Group);
    }

    /// <summary>One delivery of one entry; gives the slot back when settled.</summary>
    public async Task RunAsync(RawEntry entry, int deliveryCount)
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
            _ledger.Release(entry.Id);
            Log.UnexpectedError(_context.Logger, ex, "dispatch", _context.Stream, _context.Group);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>One first delivery of a batch of new entries, in one handler invocation; gives the slot back when
    /// settled.</summary>
    public async Task RunBatchAsync(List<RawEntry> entries)
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
            foreach (var entry in entries)
                _ledger.Release(entry.Id);
            Log.UnexpectedError(_context.Logger, ex, "dispatch", _context.Stream, _context.Group);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// Gives up on an entry delivered as often as allowed: dead-letters it with <paramref name="errorType"/> and
    /// <paramref name="errorMessage"/> (and acknowledges it in the same step). If Redis refuses, the entry stays
    /// pending with its reason and the sweep tries again.
    /// </summary>
    public async Task DeadLetterAsync(RawEntry entry, int deliveryCount, string errorType, string errorMessage)
    {
        var record = new DeadLetterRecord("", entry.Id, _context.Stream, _context.Group, _context.Consumer,
            deliveryCount, errorType, errorMessage, _context.Time.GetUtcNow());
        DeadLetterWrite written;
        try
        {
            written = await _deadLetters.WriteAsync(_context.Database, entry, record).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisErrors.IsTransient(ex) || ex is StackExchange.Redis.RedisServerException)
        {
            if (RedisErrors.IsTransient(ex))
                _context.Outage.Failed(ex, "dead-letter");
            else
                Log.DeadLetterFailed(_context.Logger, ex, entry.Id, _context.Stream, _context.Group,
                    _deadLetters.DeadLetterStream);
            _ledger.Failed(entry.Id, _context.Time.GetUtcNow() + _context.Options.ClaimInterval, errorType,
                errorMessage);
            return;
        }
        _ledger.Forget(entry.Id);
        _ledger.Release(entry.Id);
        if (written.Written)
        {
            StreamsTelemetry.DeadLettered.Add(1, _context.Tags);
            Log.DeadLettered(_context.Logger, entry.Id, _context.Stream, _context.Group, _deadLetters.DeadLetterStream,
                deliveryCount, errorType, errorMessage);
        }
        else
        {
            Log.DeadLetteredBefore(_context.Logger, entry.Id, _context.Stream, _context.Group,
                _deadLetters.DeadLetterStream, written.DeadLetterId);
        }
    }

    /// <summary>
    /// The message of an entry for this group's handler, or null when the entry is not for it and has been settled
    /// here: a replay for another group (acknowledged), a vanished entry (acknowledged),
    /// a malformed one (dead-lettered).
    /// </summary>
    private async ValueTask<StreamMessage?> ReadOrSettleAsync(RawEntry entry, int deliveryCount)
    {
        if (ReplayFields.IsForAnotherGroup(entry, _context.Group))
        {
            StreamsTelemetry.ReplaySkipped.Add(1, _context.Tags);
            if (_context.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
                Log.ReplaySkipped(_context.Logger, entry.Id, _context.Stream, _context.Group,
                    ReplayFields.GroupOf(entry));
            Acknowledge(entry.Id);
            return null;
        }
        var message = EnvelopeReader.TryRead(entry, _context.Stream, _context.Group, _context.Consumer, deliveryCount,
            out var problem);
        if (message is not null)
            return message;
        if (entry.Fields is null)
        {
            Log.EntryVanished(_context.Logger, entry.Id, _context.Group, _context.Stream);
            Acknowledge(entry.Id);
        }
        else
        {
            await DeadLetterAsync(entry, deliveryCount, DeadLetterFields.MalformedEntryErrorType, problem!)
                .ConfigureAwait(false);
        }
        return null;
    }

    private async Task HandleAsync(RawEntry entry, StreamMessage message)
    {
        using var activity = _spans.StartSingle(message);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _handler(message, _handlersCancelled).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            StreamsTelemetry.RecordProcessed(_context.Tags, 1, Stopwatch.GetElapsedTime(started), ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await OnFailedAsync(entry, message, ex).ConfigureAwait(false);
            return;
        }
        StreamsTelemetry.RecordProcessed(_context.Tags, 1, Stopwatch.GetElapsedTime(started), null);
        Log.Handled(_context.Logger, entry.Id, _context.Group, _context.Stream, message.DeliveryCount);
        Acknowledge(entry.Id);
    }

    private async Task HandleBatchAsync(List<RawEntry> entries, List<StreamMessage> messages)
    {
        using var activity = _spans.StartBatch(messages);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _batchHandler!(messages, _handlersCancelled).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            StreamsTelemetry.RecordProcessed(_context.Tags, messages.Count, Stopwatch.GetElapsedTime(started), ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await OnBatchFailedAsync(entries, messages, ex).ConfigureAwait(false);
            return;
        }
        StreamsTelemetry.RecordProcessed(_context.Tags, messages.Count, Stopwatch.GetElapsedTime(started), null);
        Log.BatchHandled(_context.Logger, messages.Count, entries[0].Id, entries[^1].Id, _context.Group,
            _context.Stream);
        foreach (var entry in entries)
            Acknowledge(entry.Id);
    }

    private async Task OnFailedAsync(RawEntry entry, StreamMessage message, Exception exception)
    {
        if (IsShutdownCancellation(exception))
        {
            LeavePendingForShutdown(entry);
            return;
        }
        if (message.DeliveryCount >= _context.Options.MaxDeliveries)
            Log.HandlerFailedLastTime(_context.Logger, exception, entry.Id, _context.Group, _context.Stream,
                message.DeliveryCount, _context.Options.MaxDeliveries);
        var backoff = await RetryOrDeadLetterAsync(entry, message, exception).ConfigureAwait(false);
        if (backoff is { } wait)
            Log.HandlerFailed(_context.Logger, exception, entry.Id, _context.Group, _context.Stream,
                message.DeliveryCount, _context.Options.MaxDeliveries, wait);
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
        TimeSpan? backoff = null;
        for (var i = 0; i < entries.Count; i++)
        {
            // Every entry is settled; the log line reports the first backoff (they are equal unless deliveries differ).
            var entryBackoff = await RetryOrDeadLetterAsync(entries[i], messages[i], exception).ConfigureAwait(false);
            backoff ??= entryBackoff;
        }
        if (backoff is { } wait)
            Log.BatchFailed(_context.Logger, exception, entries.Count, entries[0].Id, entries[^1].Id, _context.Group,
                _context.Stream, wait);
        else
            Log.BatchFailedLastTime(_context.Logger, exception, entries.Count, entries[0].Id, entries[^1].Id,
                _context.Group, _context.Stream);
    }

    /// <summary>Dead-letters the entry when that was its last delivery, else records when it is due again. Returns the
    /// backoff when it will be retried, null when dead-lettered.</summary>
    private async Task<TimeSpan?> RetryOrDeadLetterAsync(RawEntry entry, StreamMessage message, Exception exception)
    {
        // Clean text for the dead letter (clients see it); the full exception is logged by the caller.
        var (errorType, errorMessage) = FailureDescription.Of(exception);
        if (message.DeliveryCount >= _context.Options.MaxDeliveries)
        {
            await DeadLetterAsync(entry, message.DeliveryCount, errorType, errorMessage).ConfigureAwait(false);
            return null;
        }
        var backoff = _context.Options.BackoffBefore(message.DeliveryCount + 1);
        _ledger.Failed(entry.Id, _context.Time.GetUtcNow() + backoff, errorType, errorMessage);
        _retryScheduled(backoff);
        return backoff;
    }

    /// <summary>
    /// We cancelled it for shutdown: not the handler's failure, so no retry bookkeeping and no dead letter.
    /// </summary>
    private bool IsShutdownCancellation(Exception exception) =>
        _handlersCancelled.IsCancellationRequested && exception is OperationCanceledException;

    private void LeavePendingForShutdown(RawEntry entry)
    {
        _ledger.Release(entry.Id);
        Log.LeftPending(_context.Logger, entry.Id, _context.Group);
    }

    private void Acknowledge(string entryId)
    {
        if (!_acks.Add(entryId))
            _ledger.Release(entryId); // Stopped: it stays pending and is redelivered later.
    }
}
