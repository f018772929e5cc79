using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.Overview;

namespace OrdersFunctions.App.Ops;

/// <summary>
/// The overview reads behind <c>GET /api/health</c>, bounded in time whatever Redis does. One read runs at a time and
/// every probe that arrives meanwhile shares it (a Redis that stopped answering gets one read, not one per probe). A
/// probe waits at most <see cref="AnswerWithin"/> for it; if it is still running, the last completed reading answers,
/// as long as it is recent and the running read is not yet overdue. A read running for <see cref="StallAfter"/> makes
/// the answer "Redis is not answering" at once. Only the very first read of the process, with nothing to fall back on,
/// is waited for up to <see cref="StallAfter"/>.
/// </summary>
public sealed class HealthReadings(StreamOverviewReader reader, OpsTopology topology, TimeProvider time)
{
    /// <summary>How long a probe waits for the running read before it falls back on the last reading.</summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromMilliseconds(50);

    /// <summary>A read running this long means Redis is not answering.</summary>
    public static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(1);

    /// <summary>How old the last reading may be to stand in for a running read.</summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(10);

    private readonly object _gate = new();
    private (Task<IReadOnlyList<StreamOverview>> Task, long StartedAt)? _running;
    private (IReadOnlyList<StreamOverview> Overview, long At)? _last;

    /// <summary>A reading of the orders stream (without dead-letter counts, which scan), or why there is none.
    /// </summary>
    public async Task<HealthReading> ReadAsync(CancellationToken cancellationToken)
    {
        var (read, startedAt) = Running();
        await WaitAsync(read, AnswerWithin, cancellationToken).ConfigureAwait(false);
        if (!read.IsCompleted)
        {
            var age = time.GetElapsedTime(startedAt);
            (IReadOnlyList<StreamOverview> Overview, long At)? last;
            lock (_gate)
                last = _last;
            if (age < StallAfter && last is { } fallback && time.GetElapsedTime(fallback.At) < FreshFor)
                return new HealthReading(fallback.Overview, null, null);
            if (age < StallAfter && last is null)
                await WaitAsync(read, StallAfter - age, cancellationToken).ConfigureAwait(false);
        }
        if (read.IsCompletedSuccessfully)
            return new HealthReading(read.Result, null, null);
        if (read.IsFaulted)
            return new HealthReading(null, read.Exception!.GetBaseException(), null);
        return new HealthReading(null, null, time.GetElapsedTime(startedAt));
    }

    /// <summary>The read in progress, or a new one when none is.</summary>
    private (Task<IReadOnlyList<StreamOverview>> Task, long StartedAt) Running()
    {
        lock (_gate)
        {
            if (_running is { Task.IsCompleted: false } running)
                return running;
            var startedAt = time.GetTimestamp();
            // Not the probe's token: other probes share this read, and it ends by itself (the command timeout).
            _running = (ReadAndKeepAsync(), startedAt);
            return _running.Value;
        }
    }

    private async Task<IReadOnlyList<StreamOverview>> ReadAndKeepAsync()
    {
        var overview = await reader.ReadAsync(topology.Streams.Select(s => topology.OverviewRequest(s.Name) with { CountDeadLetters = false }), CancellationToken.None)
            .ConfigureAwait(false);
        lock (_gate)
            _last = (overview, time.GetTimestamp());
        return overview;
    }

    private static async Task WaitAsync(Task read, TimeSpan limit, CancellationToken cancellationToken)
    {
        if (limit <= TimeSpan.Zero)
            return;
        try
        {
            await read.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Still running: the caller decides.
        }
        catch (Exception) when (read.IsFaulted)
        {
            // The read's own failure: the caller reports it.
        }
    }
}

/// <summary>One health reading: the overview, or the failure of the read, or how long it has run without an
/// answer.</summary>
public sealed record HealthReading(IReadOnlyList<StreamOverview>? Overviews, Exception? Failure, TimeSpan? RunningFor);
