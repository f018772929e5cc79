using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>
/// One overview of some streams per process per interval, shared by every reader: the ops API's page viewers, the
/// gauges, the health probe, a scale monitor. However many ask, at most one read of Redis is in flight and at most one
/// starts per <see cref="OverviewSnapshotOptions.MinInterval"/>; every snapshot carries the time it was taken, so a
/// reader can say how old its figures are.
/// <list type="bullet">
/// <item><see cref="GetAsync"/>: a snapshot no older than the age asked for (or the minimum interval, if longer),
/// reading Redis only when the latest is older; concurrent callers share that read.</item>
/// <item><see cref="Peek"/>: the latest snapshot now, never waiting; starts a background read when it is stale.</item>
/// <item><see cref="KeepFresh"/>: a lease that keeps the snapshot refreshed in the background while held (gauges).
/// Readers who asked recently are served the same way for <see cref="OverviewSnapshotOptions.ReaderInterest"/>, so a
/// polling page finds a snapshot ready. With neither, nothing reads Redis.</item>
/// </list>
/// A failed read keeps the previous snapshot, answers its callers with its error for one minimum interval, and is
/// logged once per outage. Thread-safe.
/// </summary>
public sealed class OverviewSnapshots : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<IReadOnlyList<StreamOverview>>> _read;
    private readonly OverviewSnapshotOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RefreshDemand _demand;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private volatile OverviewSnapshot? _latest;
    private Task<OverviewSnapshot>? _lastRead;
    private DateTimeOffset _lastReadStartedAt;
    private TaskCompletionSource _wake = NewWake();
    private Task? _loop;
    private long _reads;
    private DateTimeOffset? _failingSince;
    private int _disposed;

    /// <param name="reader">Reads the overview.</param>
    /// <param name="streams">The streams every snapshot covers.</param>
    /// <param name="options">Intervals; null for the defaults.</param>
    /// <param name="logger">Where failed reads are reported (once per outage).</param>
    /// <param name="time">The clock; null for the system clock.</param>
    public OverviewSnapshots(StreamOverviewReader reader, IEnumerable<StreamOverviewRequest> streams,
        OverviewSnapshotOptions? options = null, ILogger? logger = null, TimeProvider? time = null)
        : this(ReadWith(reader, streams, out var requests), options, logger, time)
    {
        Streams = requests;
    }

    internal OverviewSnapshots(Func<CancellationToken, Task<IReadOnlyList<StreamOverview>>> read,
        OverviewSnapshotOptions? options, ILogger? logger, TimeProvider? time)
    {
        _read = read;
        _options = options ?? new OverviewSnapshotOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _demand = new RefreshDemand(_options.ReaderInterest);
        Streams = [];
    }

    /// <summary>The streams every snapshot covers.</summary>
    public IReadOnlyList<StreamOverviewRequest> Streams { get; }

    /// <summary>The clock the snapshots' ages are measured by.</summary>
    public TimeProvider Time => _time;

    /// <summary>The newest snapshot, or null before the first read succeeded.</summary>
    public OverviewSnapshot? Latest => _latest;

    /// <summary>How many reads of Redis this service has started (for tests and benchmarks).</summary>
    public long ReadCount => Interlocked.Read(ref _reads);

    /// <summary>
    /// A snapshot no older than <paramref name="maxAge"/> (or than <see cref="OverviewSnapshotOptions.MinInterval"/>,
    /// if longer): the latest when it is young enough, else the one being read (a read is started if none is). Also
    /// keeps the snapshot warm at that age for a while (<see cref="OverviewSnapshotOptions.ReaderInterest"/>).
    /// </summary>
    /// <exception cref="StackExchange.Redis.RedisException">The read failed (Redis unreachable or refusing).
    /// </exception>
    /// <exception cref="TimeoutException">The read timed out.</exception>
    public async Task<OverviewSnapshot> GetAsync(TimeSpan maxAge, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (_demand.NoteReader(maxAge, _time.GetUtcNow()))
            WakeLoop();
        var read = ReadIfOlderThan(maxAge);
        return read is null ? _latest! : await read.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The latest snapshot (null when none was read yet), without waiting for Redis. When it is older than
    /// <paramref name="refreshIfOlderThan"/> or missing, a read starts in the background (within the minimum
    /// interval), so a later call finds fresher figures. For the request path of a health check.
    /// </summary>
    public OverviewSnapshot? Peek(TimeSpan refreshIfOlderThan)
    {
        ThrowIfDisposed();
        ReadIfOlderThan(refreshIfOlderThan);
        return _latest;
    }

    /// <summary>
    /// Keeps the snapshot refreshed in the background, at least every <paramref name="interval"/>, until the returned
    /// lease is disposed. For gauges, whose callbacks must never wait for Redis.
    /// </summary>
    public IDisposable KeepFresh(TimeSpan interval)
    {
        ThrowIfDisposed();
        if (interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The refresh interval must be positive.");
        if (_demand.AddLease(interval))
            WakeLoop();
        return new Lease(this, interval);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _stopping.Cancel();
        WakeLoop();
        Task? loop;
        lock (_gate)
            loop = _loop;
        if (loop is not null)
            await loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>The read a caller must wait for, or null when the latest snapshot is young enough. Starts a read
    /// only when none is in flight and none started within the minimum interval.</summary>
    private Task<OverviewSnapshot>? ReadIfOlderThan(TimeSpan maxAge)
    {
        var allowed = maxAge > _options.MinInterval ? maxAge : _options.MinInterval;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var latest = _latest;
            // Fresh means younger than allowed; the loop's DueAt uses the same boundary, or at exactly that age the
            // loop would find a read due that this refuses, and spin.
            if (latest is not null && latest.AgeAt(now) < allowed)
                return null;
            if (_lastRead is not null && (!_lastRead.IsCompleted || now - _lastReadStartedAt < _options.MinInterval))
                return _lastRead; // in flight, or failed within the interval: its outcome answers
            if (_stopping.IsCancellationRequested)
                throw new ObjectDisposedException(nameof(OverviewSnapshots));
            _lastReadStartedAt = now;
            Interlocked.Increment(ref _reads);
            _lastRead = ReadAsync(now);
            // A read started by Peek or the loop may fail with nobody awaiting it; its error is logged already.
            _lastRead.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return _lastRead;
        }
    }

    private async Task<OverviewSnapshot> ReadAsync(DateTimeOffset startedAt)
    {
        await Task.Yield(); // never read Redis while holding the gate
        var clock = Stopwatch.StartNew();
        try
        {
            var streams = await _read(_stopping.Token).ConfigureAwait(false);
            var snapshot = new OverviewSnapshot(startedAt, streams) { ReadDuration = clock.Elapsed };
            _latest = snapshot;
            if (_failingSince is { } since)
                OverviewLog.RefreshRecovered(_logger, _time.GetUtcNow() - since);
            _failingSince = null;
            return snapshot;
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            if (_failingSince is null)
                OverviewLog.RefreshFailed(_logger, ex.Message);
            _failingSince ??= startedAt;
            throw;
        }
    }

    private void WakeLoop()
    {
        TaskCompletionSource wake;
        lock (_gate)
        {
            wake = _wake;
            _wake = NewWake();
            if (_loop is null && !_stopping.IsCancellationRequested)
                _loop = Task.Run(() => LoopAsync(_stopping.Token));
        }
        wake.TrySetResult();
    }

    /// <summary>Refreshes while someone wants it (<see cref="RefreshDemand"/>), at the freshness they want; sleeps
    /// until woken otherwise.</summary>
    private async Task LoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Task woken;
            lock (_gate)
                woken = _wake.Task;
            var now = _time.GetUtcNow();
            var (wanted, changesAt) = _demand.Wanted(now);
            var wait = Timeout.InfiniteTimeSpan;
            if (wanted is { } interval)
            {
                var due = DueAt(interval, now);
                if (due <= now)
                {
                    await RefreshQuietlyAsync(interval).ConfigureAwait(false);
                    continue;
                }
                wait = due - now;
            }
            if (changesAt is { } change && (wait == Timeout.InfiniteTimeSpan || change - now < wait))
                wait = change - now;
            using var sleeping = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            await Task.WhenAny(woken, Task.Delay(wait, _time, sleeping.Token)).ConfigureAwait(false);
            sleeping.Cancel(); // woken early: drop the timer
        }
    }

    /// <summary>When the background should read next for figures no older than <paramref name="interval"/>: when
    /// the latest reaches that age, and never sooner than a minimum interval after the last read began.</summary>
    private DateTimeOffset DueAt(TimeSpan interval, DateTimeOffset now)
    {
        lock (_gate)
        {
            var period = interval > _options.MinInterval ? interval : _options.MinInterval;
            var due = _latest is { } latest ? latest.TakenAt + period : now;
            var earliest = _lastRead is null ? now : _lastReadStartedAt + _options.MinInterval;
            return due > earliest ? due : earliest;
        }
    }

    private async Task RefreshQuietlyAsync(TimeSpan interval)
    {
        try
        {
            if (ReadIfOlderThan(interval) is { } read)
                await read.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Logged by ReadAsync (once per outage); readers keep the last snapshot, and the loop tries again after
            // the minimum interval.
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static Func<CancellationToken, Task<IReadOnlyList<StreamOverview>>> ReadWith(StreamOverviewReader reader,
        IEnumerable<StreamOverviewRequest> streams, out IReadOnlyList<StreamOverviewRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(streams);
        var copy = streams.ToArray();
        requests = copy;
        return cancellationToken => reader.ReadAsync(copy, cancellationToken);
    }

    private sealed class Lease(OverviewSnapshots owner, TimeSpan interval) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                owner._demand.RemoveLease(interval);
        }
    }
}
