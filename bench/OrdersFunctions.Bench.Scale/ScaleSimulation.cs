using OrdersFunctions.Bench;
using OrdersFunctions.Bench.Scale.Mail;
using OrdersFunctions.Bench.Scale.Observe;
using OrdersFunctions.Bench.Scale.Report;
using StackExchange.Redis;

namespace OrdersFunctions.Bench.Scale;

/// <summary>The whole simulation: one Redis, one SMTP server, the scenarios one after another (never at once: they
/// share 2 cores), then the CSV and the chart.</summary>
public static class ScaleSimulation
{
    public static async Task<IReadOnlyList<ScenarioSummary>> RunAsync(SimulationOptions options, TextWriter log,
        CancellationToken cancellationToken)
    {
        var layout = RepositoryLayout.FromBuildOutput();
        var workDirectory = options.WorkDirectory ?? Directory.CreateTempSubdirectory("orders-scale-").FullName;
        await using var ownRedis = options.Redis is null ? await LocalRedisServer.StartAsync() : null;
        var redisConnection = options.Redis ?? ownRedis!.ConnectionString;
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(redisConnection);
        await using var smtp = SmtpSink.Start(options.SmtpDelay);
        await log.WriteLineAsync(FormattableString.Invariant(
            $"Redis {redisConnection}, SMTP 127.0.0.1:{smtp.Port} ")
            + FormattableString.Invariant(
                $"({options.SmtpDelay.TotalMilliseconds:0} ms per message), work folder {workDirectory}"));

        var runner = new ScenarioRunner(layout, options, redisConnection, multiplexer.GetDatabase(), smtp,
            workDirectory, log);
        var summaries = new List<ScenarioSummary>();
        var timelines = new List<IReadOnlyList<TimelineRow>>();
        foreach (var name in options.Scenarios)
        {
            var (summary, rows) = await runner.RunAsync(Scenario.Named(name, options), cancellationToken);
            summaries.Add(summary);
            timelines.Add(rows);
            foreach (var check in summary.Checks)
                await log.WriteLineAsync($"  {check}");
        }

        if (options.CsvPath is not null)
            TimelineCsv.Write(options.CsvPath, timelines.SelectMany(t => t));
        if (options.ChartPath is not null)
            ScaleChart.Write(options.ChartPath, timelines, options.SurgeStart, options.SurgeEnd, Title(options));
        await log.WriteLineAsync();
        await log.WriteLineAsync(SummaryTable.Markdown(summaries, options.Window));
        return summaries;
    }

    private static string Title(SimulationOptions options) => FormattableString.Invariant(
        $"{options.SurgeOrdersPerSecond:0} orders/s for {options.SurgeDuration.TotalSeconds:0} s; ")
        + FormattableString.Invariant(
            $"{options.NotificationConcurrency} sends × {options.SmtpDelay.TotalMilliseconds:0} ms per instance; ")
        + FormattableString.Invariant($"{options.Rules.MaxInstances} instances at most, one always ready");
}
