using OrdersFunctions.Bench.Scale.Observe;
using ScottPlot;

namespace OrdersFunctions.Bench.Scale.Report;

/// <summary>
/// The chart (ScottPlot): one row each for instances, the notifications group's lag and pending, the spreadsheets
/// group's lag and pending, and orders accepted per second; one colour per scenario (lag solid, pending dotted); the
/// surge shaded.
/// </summary>
public static class ScaleChart
{
    public static void Write(string path, IReadOnlyList<IReadOnlyList<TimelineRow>> scenarios, TimeSpan surgeStart,
        TimeSpan surgeEnd, string title)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(4);
        var plots = multiplot.GetPlots();
        var palette = new ScottPlot.Palettes.Category10();
        for (var s = 0; s < scenarios.Count; s++)
        {
            var rows = scenarios[s];
            if (rows.Count == 0)
                continue;
            var color = palette.GetColor(s);
            var name = rows[0].Scenario;
            var xs = rows.Select(r => r.Seconds).ToArray();
            double[] Ys(Func<TimelineRow, double> value) => rows.Select(value).ToArray();
            Line(plots[0], xs, Ys(r => r.Instances), color, name, LinePattern.Solid, step: true);
            Line(plots[1], xs, Ys(r => r.NotificationsLag), color, name, LinePattern.Solid);
            Line(plots[1], xs, Ys(r => r.NotificationsPending), color, null, LinePattern.Dotted);
            Line(plots[2], xs, Ys(r => r.SpreadsheetsLag), color, name, LinePattern.Solid);
            Line(plots[2], xs, Ys(r => r.SpreadsheetsPending), color, null, LinePattern.Dotted);
            Line(plots[3], xs, Ys(r => r.OrdersAccepted), color, name, LinePattern.Solid);
        }

        string[] labels =
        [
            "instances", "notifications: lag (—), pending (···)", "spreadsheets: lag (—), pending (···)",
            "orders accepted / s",
        ];
        for (var i = 0; i < plots.Length; i++)
        {
            var span = plots[i].Add.HorizontalSpan(surgeStart.TotalSeconds, surgeEnd.TotalSeconds);
            span.FillStyle.Color = Colors.Orange.WithAlpha(0.12);
            span.LineStyle.Width = 0;
            plots[i].Axes.Left.Label.Text = labels[i];
            plots[i].Axes.Bottom.Label.Text = "seconds since the scenario started (surge shaded)";
            plots[i].ShowLegend(Alignment.UpperRight);
        }
        plots[0].Title(title);
        multiplot.SavePng(path, 1400, 1800);
    }

    private static void Line(Plot plot, double[] xs, double[] ys, Color color, string? legend, LinePattern pattern,
        bool step = false)
    {
        var line = plot.Add.Scatter(xs, ys, color);
        line.MarkerSize = 0;
        line.LineWidth = 2;
        line.LinePattern = pattern;
        if (step)
            line.ConnectStyle = ConnectStyle.StepHorizontal;
        if (legend is not null)
            line.LegendText = legend;
    }
}
