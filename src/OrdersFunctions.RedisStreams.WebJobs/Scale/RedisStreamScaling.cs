namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// The backlog rule: <c>target workers = ceil(backlog / (concurrency × <see cref="BacklogPerInvocationSlot"/>))</c>,
/// where backlog is the group's lag plus pending entries and concurrency is the host's dynamic concurrency for the
/// function when it reports one, else the trigger's MaxConcurrency. With the defaults (16 slots × 8) one worker is
/// enough until 128 entries wait; 1,000 waiting entries ask for 8 workers. At least one worker whenever anything
/// waits; zero when nothing does. <see cref="RedisStreamScaleRule"/> uses it while no throughput is known.
/// </summary>
public static class RedisStreamScaling
{
    /// <summary>How many waiting entries one invocation slot of one worker is expected to absorb before another worker
    /// helps: a few rounds of invocations, since starting a worker takes seconds and a handler milliseconds.</summary>
    public const int BacklogPerInvocationSlot = 8;

    /// <summary>The number of workers for <paramref name="backlog"/> waiting entries.</summary>
    public static int TargetWorkerCount(long backlog, int concurrency) =>
        TargetWorkerCountForThreshold(backlog, (long)Math.Max(1, concurrency) * BacklogPerInvocationSlot);

    /// <summary><c>ceil(backlog / threshold)</c>: the workers for <paramref name="backlog"/> when one worker absorbs
    /// <paramref name="threshold"/> waiting entries.</summary>
    public static int TargetWorkerCountForThreshold(long backlog, long threshold)
    {
        if (backlog <= 0)
            return 0;
        var perWorker = Math.Max(1, threshold);
        var target = (backlog + perWorker - 1) / perWorker;
        return (int)Math.Min(target, int.MaxValue);
    }
}
