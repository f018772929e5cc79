using System.Globalization;
using System.Text;

namespace OrdersFunctions.Bench.Scale.Report;

/// <summary>The scenarios side by side, as a Markdown table (printed, and pasted into docs/scale.md).</summary>
public static class SummaryTable
{
    public static string Markdown(IReadOnlyList<ScenarioSummary> summaries, TimeSpan window)
    {
        var text = new StringBuilder();
        Row(text, "scenario", "orders", $"instance-seconds (first {Invariant(window.TotalSeconds)} s)",
            "peak instances",
            "peak lag (notifications)", "peak backlog notifications / spreadsheets", "drained after surge",
            "back to min after surge", "checks");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var s in summaries)
        {
            Row(text, s.Scenario, Invariant(s.Accepted), Invariant(s.InstanceSeconds), Invariant(s.PeakInstances),
                Invariant(s.PeakNotificationsLag),
                $"{Invariant(s.PeakNotificationsBacklog)} / {Invariant(s.PeakSpreadsheetsBacklog)}",
                Seconds(s.DrainSecondsAfterSurge), Seconds(s.BackToMinSecondsAfterSurge),
                $"{s.Checks.Count(c => c.Passed)}/{s.Checks.Count} passed");
        }
        return text.ToString();
    }

    private static void Row(StringBuilder text, params string[] cells) =>
        text.Append("| ").AppendJoin(" | ", cells).AppendLine(" |");

    private static string Invariant(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Seconds(double? value) => value is { } v ? Invariant(v) + " s" : "–";
}
