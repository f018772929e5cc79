using OrdersFunctions.Bench.Scale;

// Usage: dotnet run -c Release --project bench/OrdersFunctions.Bench.Scale [-- options]; see docs/scale.md.
// Writes docs/scale.csv and docs/scale.png unless --csv/--chart say otherwise; exits 1 when a check failed.
var layout = RepositoryLayout.FromBuildOutput();
var defaults = new SimulationOptions
{
    CsvPath = Path.Combine(layout.Root, "docs", "scale.csv"),
    ChartPath = Path.Combine(layout.Root, "docs", "scale.png"),
};
SimulationOptions options;
try
{
    options = SimulationOptions.Parse(args, defaults);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};
var summaries = await ScaleSimulation.RunAsync(options, Console.Out, interrupted.Token);
var failed = summaries.Where(s => !s.Passed).Select(s => s.Scenario).ToList();
Console.WriteLine(failed.Count == 0 ? "All checks passed." : $"Checks failed in: {string.Join(", ", failed)}");
return failed.Count == 0 ? 0 : 1;
