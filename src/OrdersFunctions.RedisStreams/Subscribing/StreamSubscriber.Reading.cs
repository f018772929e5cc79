using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams;

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
            "COUNT", _options.BatchSize,
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

            // Mark the whole batch before dispatching any of it, so the sweep never mistakes a waiting entry for a
            // failed one. Until then the sweep skips entries delivered after this read was sent. An entry already
            // marked was nonetheless claimed by the sweep (defence in depth; the sweep's delivery handles it), so this
            // one must not run it a second time.
            var claimedMeanwhile = 0;
            for (var i = 0; i < entries.Length; i++)
            {
                if (_inFlight.TryAdd(entries[i].Id, 0))
                    continue;
                entries[i] = default;
                claimedMeanwhile++;
            }
            for (var i = 0; i < entries.Length; i++)
            {
                if (entries[i].Id is null)
                    continue;
                if (!await TryTakeSlotAsync(stopping).ConfigureAwait(false))
                {
                    // Stopping: the rest stay pending here and are reclaimed later (by this name or another consumer).
                    for (var j = i; j < entries.Length; j++)
                    {
                        if (entries[j].Id is not null)
                            _inFlight.TryRemove(entries[j].Id, out _);
                    }
                    return;
                }
                _ = RunAsync(entries[i], deliveryCount: 1);
            }
            if (claimedMeanwhile > 0)
                Log.SkippedClaimedMeanwhile(_logger, claimedMeanwhile, _stream, _group);
        }
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
