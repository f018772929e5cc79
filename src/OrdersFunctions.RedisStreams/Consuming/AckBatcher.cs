using Microsoft.Extensions.Logging;
using OrdersFunctions.RedisStreams.Telemetry;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Consuming;

/// <summary>
/// Coalesces acknowledgements: handlers add entry ids as they finish and one loop sends them as XACKs of up to
/// <see cref="MaxIdsPerAck"/> ids. While one XACK is in flight the next batch accumulates, so the number of round
/// trips adapts to the load instead of growing with it. Ids whose XACK fails are kept and sent again after a backoff,
/// whatever the failure: if the loop ended, every later acknowledgement would be lost and the ids would stay "in
/// flight" forever, so neither this consumer's sweep nor (with one instance) anyone would ever deliver
/// or acknowledge them.
/// </summary>
internal sealed class AckBatcher
{
    public const int MaxIdsPerAck = 1024;

    private readonly Func<IDatabase> _database;
    private readonly RedisKey _stream;
    private readonly RedisValue _group;
    private readonly Action<List<string>> _acknowledged;
    private readonly OutageTracker _outage;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private List<string> _queued = new();
    private bool _signalled;
    private bool _closed;
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates a batcher; <paramref name="acknowledged"/> is called with the ids after their XACK returned
    /// (or the group vanished), <paramref name="database"/> is read at each send.</summary>
    public AckBatcher(
        Func<IDatabase> database,
        RedisKey stream,
        RedisValue group,
        Action<List<string>> acknowledged,
        OutageTracker outage,
        ILogger logger)
    {
        _logger = logger;
        _database = database;
        _stream = stream;
        _group = group;
        _acknowledged = acknowledged;
        _outage = outage;
    }

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Queues <paramref name="entryId"/> for acknowledgement; false once the batcher has stopped.</summary>
    public bool Add(string entryId)
    {
        var wake = false;
        lock (_gate)
        {
            if (_closed)
                return false;
            _queued.Add(entryId);
            if (!_signalled)
                wake = _signalled = true;
        }
        if (wake)
            _signal.Release();
        return true;
    }

    /// <summary>Sends what is queued and stops; gives up on what is left after <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        lock (_gate)
            _closed = true;
        _signal.Release();
        try
        {
            await _loop.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Unsent ids stay pending in Redis and are redelivered later: at-least-once still holds.
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<string>();
        var delay = new RetryDelay();
        while (true)
        {
            await _signal.WaitAsync().ConfigureAwait(false);
            bool closed;
            lock (_gate)
            {
                (batch, _queued) = (_queued, batch);
                _signalled = false;
                closed = _closed;
            }
            var offset = 0;
            while (offset < batch.Count)
            {
                var count = Math.Min(MaxIdsPerAck, batch.Count - offset);
                var chunk = batch.GetRange(offset, count);
                try
                {
                    var ids = new RedisValue[count];
                    for (var i = 0; i < count; i++)
                        ids[i] = chunk[i];
                    await _database().StreamAcknowledgeAsync(_stream, _group, ids).ConfigureAwait(false);
                    delay.Reset();
                }
                catch (Exception ex) when (RedisErrors.IsTransient(ex))
                {
                    _outage.Failed(ex, "acknowledge");
                    if (Volatile.Read(ref _closed))
                        return;
                    await Task.Delay(delay.Next()).ConfigureAwait(false);
                    continue;
                }
                catch (Exception ex) when (RedisErrors.IsNoGroup(ex))
                {
                    // The group is gone, and its pending entries with it: nothing left to acknowledge.
                }
                catch (Exception ex)
                {
                    // Not an outage and not NOGROUP (e.g. WRONGTYPE after the key was replaced, or a bug): keep the ids
                    // and try again after a backoff; on stop they stay pending in Redis and are redelivered later.
                    Log.UnexpectedError(
                        _logger, ex, "acknowledgement loop", (string?)_stream ?? "", (string?)_group ?? "");
                    if (Volatile.Read(ref _closed))
                        return;
                    await Task.Delay(delay.Next()).ConfigureAwait(false);
                    continue;
                }
                _acknowledged(chunk);
                offset += count;
            }
            batch.Clear();
            if (closed)
            {
                lock (_gate)
                {
                    if (_queued.Count == 0)
                        return;
                }
            }
        }
    }
}
