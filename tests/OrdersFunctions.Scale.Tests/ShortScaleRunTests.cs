using OrdersFunctions.Bench.Scale;
using Xunit.Abstractions;

namespace OrdersFunctions.Scale.Tests;

/// <summary>
/// The simulation, short: 2 instances of the app, a surge that 2 cannot keep up with, the controller drives them to 4
/// with the trigger's own target scalers, one is killed with SIGKILL mid-surge, then back to 1. Every check of the full
/// run must hold (each accepted order once in the CSV and in the mailbox, no dead letters, drained, clean SIGTERM
/// stops, dead consumers deleted, the killed instance's entries claimed). No timing is asserted.
/// </summary>
public sealed class ShortScaleRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoToFourToOne_WithAKillMidSurge_EveryOrderOnceAndNothingLeftBehind()
    {
        var options = SimulationOptions.Parse(
        [
            "--scenarios", "drain-rule-sigkill",
            "--min", "1", "--max", "4", "--initial", "2",
            "--interval", "2", "--cooldown", "4",
            "--idle", "2", "--rate", "60", "--surge", "10", "--tail", "4", "--settle", "60",
            // 2 sends × 100 ms: 20 notifications per second per instance, so 2 instances fall behind 60 orders/s.
            "--concurrency", "2", "--smtp-delay-ms", "100",
            // A short drain time: the backlog of a 10 s surge asks for the maximum.
            "--drain-time", "1",
            "--claim-min-idle", "3", "--claim-interval", "1", "--consumer-idle-timeout", "5",
        ], new SimulationOptions());
        var log = new StringWriter();

        var summaries = await ScaleSimulation.RunAsync(options, log, CancellationToken.None);

        output.WriteLine(log.ToString());
        var run = Assert.Single(summaries);
        Assert.All(run.Checks, check => Assert.True(check.Passed, check.ToString()));
        Assert.Equal(4, run.PeakInstances);
        Assert.Equal(600, run.Accepted);
        Assert.NotNull(run.BackToMinSecondsAfterSurge);
    }
}
