using System.Globalization;
using System.Text;

namespace OrdersFunctions.Bench.Scale.Report;

/// <summary>The scenarios side by side, as a Markdown table (printed, and pasted into docs/scale.md).</summary>
public static class SummaryTable
{
    public static string Markdown(IReadOnlyList<ScenarioSummary> summaries, TimeSpan window)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| scenario | orders | instance-seconds (first {window.TotalSeconds:0} s) | peak instances | peak lag (notifications) | peak backlog notifications / spreadsheets | drained after surge | back to min after surge | checks |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var s in summaries)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Scenario} | {s.Accepted:N0} | {s.InstanceSeconds:N0} | {s.PeakInstances} | {s.PeakNotificationsLag:N0} | {s.PeakNotificationsBacklog:N0} / {s.PeakSpreadsheetsBacklog:N0} | {Seconds(s.DrainSecondsAfterSurge)} | {Seconds(s.BackToMinSecondsAfterSurge)} | {s.Checks.Count(c => c.Passed)}/{s.Checks.Count} passed |");
        }
        return text.ToString();
    }

    private static string Seconds(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0} s") : "–";
}
