using System.Diagnostics;

namespace OrdersFunctions.Bench;

/// <summary>
/// This process's CPU time (all threads, user and kernel) since <see cref="Start"/>. On a shared machine CPU time per
/// entry varies far less than entries per second, which also counts the time spent waiting for a core; Redis runs in
/// its own process and is not included.
/// </summary>
internal readonly struct ProcessCpu
{
    private readonly TimeSpan _start;

    private ProcessCpu(TimeSpan start) => _start = start;

    public static ProcessCpu Start() => new(Now());

    /// <summary>Microseconds of CPU per item for <paramref name="count"/> items since the start.</summary>
    public double MicrosecondsPer(long count) => (Now() - _start).TotalMicroseconds / Math.Max(1, count);

    private static TimeSpan Now()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}

/// <summary>Deliveries per second over all groups, and this process's CPU time per delivery.</summary>
internal sealed record ThroughputFigures(double PerSecond, double CpuMicrosecondsPerDelivery);
