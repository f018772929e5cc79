using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Consuming;

public sealed partial class StreamSubscriber
{
    /// <summary>
    /// Reads new entries with a blocking XREADGROUP on the dedicated connection: Redis answers as soon as an entry
    /// arrives, or after BlockTimeout with nothing, so an idle subscriber sends one command per BlockTimeout and a busy
    /// one never sleeps. The stream key travels as a <see cref="RedisKey"/> so that in a cluster SE.Redis sends the
    /// read to the node owning the key's slot and follows MOVED after a resharding.
    /// </summary>
    private async Task ReadLoopAsync(IConnectionMultiplexer reader, CancellationToken stopping)
    {
        var database = reader.GetDatabase();
        object[] command =
        [
            "GROUP", _group, _consumer,
            "COUNT", ReadCount(),
            "BLOCK", (long)_options.BlockTimeout.TotalMilliseconds,
            "STREAMS", _streamKey, ">",
        ];
        var delay = new RetryDelay();
        while (!stopping.IsCancellationRequested)
        {
            RawEntry[] entries;
            try
            {
                Volatile.Write(ref _latestReadSentAt, _time.GetTimestamp());
                var reply = await database.ExecuteAsync("XREADGROUP", command).ConfigureAwait(false);
                entries = StreamReplies.ParseReadGroup(reply);
                _outage.Succeeded();
                delay.Reset();
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (RedisErrors.IsNoGroup(ex))
            {
                if (!await TryAsync(RecreateGroupAsync, "create group", stopping).ConfigureAwait(false))
                    await PauseAsync(delay.Next(), stopping).ConfigureAwait(false);
                continue;
            }
            catch (Exception ex) when (RedisErrors.IsTransient(ex))
            {
                _outage.Failed(ex, "read");
                await PauseAsync(delay.Next(), stopping).ConfigureAwait(false);
                continue;
            }
            catch (Exception ex)
            {
                Log.UnexpectedError(_logger, ex, "read loop", _stream, _group);
                await PauseAsync(delay.Next(), stopping).ConfigureAwait(false);
                continue;
            }

            var claimedMeanwhile = MarkInFlight(entries);
            // What was read is dispatched even once stopping began, as slots free up, until the shutdown deadline:
            // an entry left undispatched would stay pending on a consumer that, after a scale-in, never comes back.
            if (_batchHandler is not null)
            {
                if (entries.Length > 0 && entries.Length < _options.MaxBatchSize && _options.MaxBatchWait > TimeSpan.Zero)
                    entries = await FillBatchAsync(database, entries, stopping).ConfigureAwait(false);
                if (!await DispatchBatchesAsync(entries, _drainDeadline.Token).ConfigureAwait(false))
                    return;
            }
            else if (!await DispatchEachAsync(entries, _drainDeadline.Token).ConfigureAwait(false))
            {
                return;
            }
            if (claimedMeanwhile > 0)
                Log.SkippedClaimedMeanwhile(_logger, claimedMeanwhile, _stream, _group);
        }
    }

    /// <summary>Entries per read: BatchSize, rounded up for a batched subscriber to whole batches (at least one), so a
    /// full reply splits into full batches rather than leaving a short one behind each read.</summary>
    private int ReadCount()
    {
        if (_batchHandler is null)
            return _options.BatchSize;
        var batches = Math.Max(1, (_options.BatchSize + _options.MaxBatchSize - 1) / _options.MaxBatchSize);
        return (int)Math.Min(10_000L, (long)batches * _options.MaxBatchSize);
    }

    /// <summary>
    /// Marks a whole reply in flight before any of it is dispatched, so the sweep never mistakes a waiting entry for a
    /// failed one (until then the sweep skips entries delivered after the read was sent). An entry already marked was
    /// nonetheless claimed by the sweep (defence in depth; the sweep's delivery handles it), so it is cleared here
    /// (left <c>default</c>) and not run a second time.
    /// </summary>
    /// <returns>How many entries were cleared.</returns>
    private int MarkInFlight(RawEntry[] entries)
    {
        var claimedMeanwhile = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            if (_inFlight.TryAdd(entries[i].Id, 0))
                continue;
            entries[i] = default;
            claimedMeanwhile++;
        }
        return claimedMeanwhile;
    }

    /// <summary>One handler per entry, each in its own slot. False when stopping cut the dispatch short.</summary>
    private async Task<bool> DispatchEachAsync(RawEntry[] entries, CancellationToken stopping)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Id is null)
                continue;
            if (!await TryTakeSlotAsync(stopping).ConfigureAwait(false))
            {
                ReleaseUndispatched(entries, i);
                return false;
            }
            _ = RunAsync(entries[i], deliveryCount: 1);
        }
        return true;
    }

    /// <summary>Batches of up to MaxBatchSize entries, each batch in one slot. False when stopping cut the dispatch short.</summary>
    private async Task<bool> DispatchBatchesAsync(RawEntry[] entries, CancellationToken stopping)
    {
        var i = 0;
        while (i < entries.Length)
        {
            var batch = new List<RawEntry>(Math.Min(_options.MaxBatchSize, entries.Length - i));
            var first = i;
            for (; i < entries.Length && batch.Count < _options.MaxBatchSize; i++)
            {
                if (entries[i].Id is not null)
                    batch.Add(entries[i]);
            }
            if (batch.Count == 0)
                continue;
            if (!await TryTakeSlotAsync(stopping).ConfigureAwait(false))
            {
                ReleaseUndispatched(entries, first);
                return false;
            }
            _ = RunBatchAsync(batch);
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
                _inFlight.TryRemove(entries[j].Id, out _);
        }
    }

    /// <summary>
    /// A read returned fewer entries than a batch holds: keeps reading (blocking for what is left of MaxBatchWait) until
    /// the batch is full or the wait is over, marking each reply in flight as it comes. A failed read ends the wait early
    /// (the main loop's next read meets and reports the same failure); so does stopping.
    /// </summary>
    private async Task<RawEntry[]> FillBatchAsync(IDatabase database, RawEntry[] first, CancellationToken stopping)
    {
        var deadline = _time.GetTimestamp() + (long)(_options.MaxBatchWait.TotalSeconds * _time.TimestampFrequency);
        var entries = new List<RawEntry>(_options.MaxBatchSize);
        entries.AddRange(first);
        while (entries.Count < _options.MaxBatchSize && !stopping.IsCancellationRequested)
        {
            var remaining = TimeSpan.FromSeconds((double)(deadline - _time.GetTimestamp()) / _time.TimestampFrequency);
            if (remaining <= TimeSpan.Zero)
                break;
            RawEntry[] more;
            try
            {
                Volatile.Write(ref _latestReadSentAt, _time.GetTimestamp());
                // BLOCK 0 would wait forever: at least 1 ms.
                var reply = await database.ExecuteAsync("XREADGROUP",
                    "GROUP", _group, _consumer,
                    "COUNT", _options.MaxBatchSize - entries.Count,
                    "BLOCK", Math.Max(1L, (long)Math.Ceiling(remaining.TotalMilliseconds)),
                    "STREAMS", _streamKey, ">").ConfigureAwait(false);
                more = StreamReplies.ParseReadGroup(reply);
            }
            catch (Exception)
            {
                break;
            }
            if (more.Length == 0)
                break;
            var cleared = MarkInFlight(more);
            if (cleared > 0)
                Log.SkippedClaimedMeanwhile(_logger, cleared, _stream, _group);
            entries.AddRange(more);
        }
        return entries.ToArray();
    }

    private async ValueTask<bool> TryTakeSlotAsync(CancellationToken stopping)
    {
        try
        {
            await _slots.WaitAsync(stopping).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> TryAsync(Func<Task> operation, string name, CancellationToken stopping)
    {
        try
        {
            await operation().ConfigureAwait(false);
            return true;
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (RedisErrors.IsTransient(ex))
        {
            _outage.Failed(ex, name);
            return false;
        }
        catch (Exception ex)
        {
            Log.UnexpectedError(_logger, ex, name, _stream, _group);
            return false;
        }
    }

    private static async Task PauseAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping; the loop condition ends the loop.
        }
    }
}
