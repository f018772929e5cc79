using OrdersFunctions.Bench.Scale.Checks;
using OrdersFunctions.Bench.Scale.Observe;

namespace OrdersFunctions.Bench.Scale.Report;

/// <summary>The figures of one scenario, from its timeline: peak lag, how long after the surge both groups drained and
/// the instance count was back at the minimum, and the instance-seconds used over the common window.</summary>
public sealed record ScenarioSummary(
    string Scenario,
    int Accepted,
    double InstanceSeconds,
    int PeakInstances,
    long PeakNotificationsLag,
    long PeakNotificationsBacklog,
    long PeakSpreadsheetsBacklog,
    double? DrainSecondsAfterSurge,
    double? BackToMinSecondsAfterSurge,
    IReadOnlyList<CheckResult> Checks)
{
    public bool Passed => Checks.All(c => c.Passed);

    public static ScenarioSummary Of(string scenario, IReadOnlyList<TimelineRow> rows, int accepted,
        double instanceSeconds, TimeSpan surgeEnd, int minInstances, bool dynamic, IReadOnlyList<CheckResult> checks)
    {
        var after = rows.Where(r => r.Seconds >= surgeEnd.TotalSeconds).ToList();
        var drained = after.FirstOrDefault(r => r.Drained);
        double? backToMin = null;
        if (dynamic)
        {
            // The first second from which the count stayed at the minimum to the end of the record.
            var lastAbove = after.LastOrDefault(r => r.Instances > minInstances);
            var settled = lastAbove is null
                ? after.FirstOrDefault()
                : after.FirstOrDefault(r => r.Seconds > lastAbove.Seconds);
            backToMin = settled is null ? null : settled.Seconds - surgeEnd.TotalSeconds;
        }
        return new ScenarioSummary(
            scenario,
            accepted,
            instanceSeconds,
            rows.Count == 0 ? 0 : rows.Max(r => r.Instances),
            rows.Count == 0 ? 0 : rows.Max(r => r.NotificationsLag),
            rows.Count == 0 ? 0 : rows.Max(r => r.NotificationsBacklog),
            rows.Count == 0 ? 0 : rows.Max(r => r.SpreadsheetsBacklog),
            drained is null ? null : drained.Seconds - surgeEnd.TotalSeconds,
            backToMin,
            checks);
    }
}
