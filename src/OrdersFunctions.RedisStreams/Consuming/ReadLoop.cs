using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Consuming;

/// <summary>
/// Reads new entries with a blocking XREADGROUP on the subscriber's dedicated connection and dispatches them: Redis
/// answers as soon as an entry arrives, or after BlockTimeout with nothing, so an idle subscriber sends one command per
/// BlockTimeout and a busy one never sleeps. A reply is taken into the ledger whole before any of it is dispatched;
/// each entry (or batch) waits for a free handler slot. The stream key travels as a <see cref="RedisKey"/> so that in a
/// cluster StackExchange.Redis sends the read to the node owning the key's slot and follows MOVED after a resharding.
/// </summary>
internal sealed class ReadLoop
{
    private readonly SubscriberContext _context;
    private readonly DeliveryLedger _ledger;
    private readonly HandlerSlots _slots;
    private readonly Deliveries _deliveries;
    private readonly GroupMembership _membership;
    private readonly bool _batched;

    public ReadLoop(
        SubscriberContext context,
        DeliveryLedger ledger,
        HandlerSlots slots,
        Deliveries deliveries,
        GroupMembership membership,
        bool batched)
    {
        _context = context;
        _ledger = ledger;
        _slots = slots;
        _deliveries = deliveries;
        _membership = membership;
        _batched = batched;
    }

    /// <param name="reader">The dedicated connection.</param>
    /// <param name="stopping">Ends reading.</param>
    /// <param name="drainDeadline">Ends dispatching: what was read is still dispatched after
    /// <paramref name="stopping"/>, as slots free up, until this deadline (the stop's ShutdownTimeout), because an
    /// entry left undispatched would stay pending on a consumer that, after a scale-in, never comes back.</param>
    public async Task RunAsync(
        IConnectionMultiplexer reader, CancellationToken stopping, CancellationToken drainDeadline)
    {
        var database = reader.GetDatabase();
        // Raw: StackExchange.Redis has no blocking XREADGROUP (it forbids blocking commands on a shared connection;
        // this one is dedicated).
        object[] command =
        [
            "GROUP", _context.Group, _context.Consumer,
            "COUNT", ReadCount(),
            "BLOCK", (long)_context.Options.BlockTimeout.TotalMilliseconds,
            "STREAMS", _context.StreamKey, ">",
        ];
        var delay = new RetryDelay();
        while (!stopping.IsCancellationRequested)
        {
            RawEntry[] entries;
            try
            {
                _ledger.ReadSent();
                entries = StreamReplies.ParseReadGroup(
                    await database.ExecuteAsync("XREADGROUP", command).ConfigureAwait(false));
                _context.Outage.Succeeded();
                delay.Reset();
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (RedisErrors.IsNoGroup(ex))
            {
                if (!await Attempt.RunAsync(_membership.RecreateAsync, "create group", _context, stopping)
                        .ConfigureAwait(false))
                    await Attempt.PauseAsync(delay.Next(), stopping).ConfigureAwait(false);
                continue;
            }
            catch (Exception ex) when (RedisErrors.IsTransient(ex))
            {
                _context.Outage.Failed(ex, "read");
                await Attempt.PauseAsync(delay.Next(), stopping).ConfigureAwait(false);
                continue;
            }
            catch (Exception ex)
            {
                Log.UnexpectedError(_context.Logger, ex, "read loop", _context.Stream, _context.Group);
                await Attempt.PauseAsync(delay.Next(), stopping).ConfigureAwait(false);
                continue;
            }

            var claimedMeanwhile = _ledger.TakeReply(entries);
            if (_batched)
            {
                if (entries.Length > 0 && entries.Length < _context.Options.MaxBatchSize
                    && _context.Options.MaxBatchWait > TimeSpan.Zero)
                    entries = await FillBatchAsync(database, entries, stopping).ConfigureAwait(false);
                if (!await DispatchBatchesAsync(entries, drainDeadline).ConfigureAwait(false))
                    return;
            }
            else if (!await DispatchEachAsync(entries, drainDeadline).ConfigureAwait(false))
            {
                return;
            }
            if (claimedMeanwhile > 0)
                Log.SkippedClaimedMeanwhile(_context.Logger, claimedMeanwhile, _context.Stream, _context.Group);
        }
    }

    /// <summary>Entries per read: BatchSize, rounded up for a batched subscriber to whole batches (at least one), so a
    /// full reply splits into full batches rather than leaving a short one behind each read.</summary>
    private int ReadCount()
    {
        var options = _context.Options;
        if (!_batched)
            return options.BatchSize;
        var batches = Math.Max(1, (options.BatchSize + options.MaxBatchSize - 1) / options.MaxBatchSize);
        return (int)Math.Min(10_000L, (long)batches * options.MaxBatchSize);
    }

    /// <summary>
    /// One handler per entry, each in its own slot. False when the drain deadline cut the dispatch short.
    /// </summary>
    private async Task<bool> DispatchEachAsync(RawEntry[] entries, CancellationToken stopping)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Id is null)
                continue;
            if (!await _slots.TryTakeAsync(stopping).ConfigureAwait(false))
            {
                ReleaseUndispatched(entries, i);
                return false;
            }
            _ = _deliveries.RunAsync(entries[i], deliveryCount: 1);
        }
        return true;
    }

    /// <summary>Batches of up to MaxBatchSize entries, each batch in one slot.
    /// False when the drain deadline cut the dispatch short.</summary>
    private async Task<bool> DispatchBatchesAsync(RawEntry[] entries, CancellationToken stopping)
    {
        var maxBatchSize = _context.Options.MaxBatchSize;
        var i = 0;
        while (i < entries.Length)
        {
            var batch = new List<RawEntry>(Math.Min(maxBatchSize, entries.Length - i));
            var first = i;
            for (; i < entries.Length && batch.Count < maxBatchSize; i++)
            {
                if (entries[i].Id is not null)
                    batch.Add(entries[i]);
            }
            if (batch.Count == 0)
                continue;
            if (!await _slots.TryTakeAsync(stopping).ConfigureAwait(false))
            {
                ReleaseUndispatched(entries, first);
                return false;
            }
            _ = _deliveries.RunBatchAsync(batch);
        }
        return true;
    }

    /// <summary>Stopping: entries from <paramref name="from"/> on stay pending here and are reclaimed later (by this
    /// name or another consumer).</summary>
    private void ReleaseUndispatched(RawEntry[] entries, int from)
    {
        for (var j = from; j < entries.Length; j++)
        {
            if (entries[j].Id is not null)
                _ledger.Release(entries[j].Id);
        }
    }

    /// <summary>
    /// A read returned fewer entries than a batch holds: keeps reading (blocking for what is left of MaxBatchWait)
    /// until the batch is full or the wait is over, taking each reply into the ledger as it comes. A failed read ends
    /// the wait early (the main loop's next read meets and reports the same failure); so does stopping.
    /// </summary>
    private async Task<RawEntry[]> FillBatchAsync(IDatabase database, RawEntry[] first, CancellationToken stopping)
    {
        var options = _context.Options;
        var time = _context.Time;
        var deadline = time.GetTimestamp() + (long)(options.MaxBatchWait.TotalSeconds * time.TimestampFrequency);
        var entries = new List<RawEntry>(options.MaxBatchSize);
        entries.AddRange(first);
        while (entries.Count < options.MaxBatchSize && !stopping.IsCancellationRequested)
        {
            var remaining = TimeSpan.FromSeconds((double)(deadline - time.GetTimestamp()) / time.TimestampFrequency);
            if (remaining <= TimeSpan.Zero)
                break;
            RawEntry[] more;
            try
            {
                _ledger.ReadSent();
                // BLOCK 0 would wait forever: at least 1 ms.
                more = StreamReplies.ParseReadGroup(await database.ExecuteAsync("XREADGROUP",
                    "GROUP", _context.Group, _context.Consumer,
                    "COUNT", options.MaxBatchSize - entries.Count,
                    "BLOCK", Math.Max(1L, (long)Math.Ceiling(remaining.TotalMilliseconds)),
                    "STREAMS", _context.StreamKey, ">").ConfigureAwait(false));
            }
            catch (Exception)
            {
                break;
            }
            if (more.Length == 0)
                break;
            var cleared = _ledger.TakeReply(more);
            if (cleared > 0)
                Log.SkippedClaimedMeanwhile(_context.Logger, cleared, _context.Stream, _context.Group);
            entries.AddRange(more);
        }
        return entries.ToArray();
    }
}
