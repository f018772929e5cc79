using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace OrdersFunctions.Bench;

/// <summary>
/// <c>--only &lt;phase&gt; --rounds &lt;n&gt;</c>: one phase, n times, for a profiler attached to the process
/// (<c>dotnet-trace collect -p</c>) and for before/after comparisons that alternate two builds. Prints each round and,
/// as the last line, a JSON object with the medians under the phase's usual keys (and <c>cpu_us_per_entry</c>).
/// </summary>
internal static class SinglePhase
{
    public static async Task<int> RunAsync(string connectionString, IDatabase db, BenchOptions options)
    {
        Console.WriteLine($"pid {Environment.ProcessId}: {options.Only}, {options.Rounds} round(s)");
        var figures = new Dictionary<string, List<double>>();
        void Add(string key, double value)
        {
            if (!figures.TryGetValue(key, out var list))
                figures[key] = list = [];
            list.Add(value);
        }

        for (var round = 1; round <= options.Rounds; round++)
        {
            switch (options.Only)
            {
                case "consume":
                    var consume = await Phases.ConsumeAsync(connectionString, db, options, groups: 1,
                        consumersPerGroup: 1);
                    Console.WriteLine($"round {round}: consume+ack 1x1 {consume.PerSecond,12:N0} entries/s, " +
                                      $"{consume.CpuMicrosecondsPerDelivery:0.0} µs CPU per entry");
                    Add("consume_1x1_per_s", consume.PerSecond);
                    Add("cpu_us_per_entry", consume.CpuMicrosecondsPerDelivery);
                    break;
                case "trigger" or "trigger-warning":
                    var level = options.Only == "trigger" ? LogLevel.Information : LogLevel.Warning;
                    var trigger = await TriggerPhase.RunAsync(connectionString, db, options, level);
                    Console.WriteLine($"round {round}: trigger ({level}) {trigger.PerSecond,12:N0} entries/s, " +
                                      $"{trigger.CpuMicrosecondsPerInvocation:0.0} µs CPU per entry, " +
                                      $"{trigger.LogLinesPerInvocation:0.0} log lines per invocation");
                    Add("trigger_jobhost_per_s", trigger.PerSecond);
                    Add("cpu_us_per_entry", trigger.CpuMicrosecondsPerInvocation);
                    break;
                case "trigger-batch":
                    var batch = await TriggerPhase.RunAsync(connectionString, db, options, LogLevel.Information,
                        batched: true);
                    Console.WriteLine($"round {round}: trigger, batched {batch.PerSecond,12:N0} entries/s, " +
                                      $"{batch.CpuMicrosecondsPerInvocation:0.0} µs CPU per entry");
                    Add("trigger_jobhost_batch_per_s", batch.PerSecond);
                    Add("cpu_us_per_entry", batch.CpuMicrosecondsPerInvocation);
                    break;
                case "ops_at_scale" or "ops_maintenance":
                    var maintenanceOnly = options.Only == "ops_maintenance";
                    var ops = await OpsAtScalePhase.RunAsync(connectionString, db.Multiplexer, options,
                        maintenanceOnly);
                    foreach (var (key, value) in ops)
                        Add(key, value);
                    break;
                case "idle":
                    // As in the full run, where the idle phase comes last: the engine's code has run and been compiled
                    // by then, so the window measures idle work, not first-time JIT.
                    if (round == 1)
                        await Phases.ConsumeAsync(connectionString, db, options, groups: 1,
                            consumersPerGroup: 1);
                    var idle = await Phases.IdleCpuAsync(connectionString, db, options);
                    Console.WriteLine($"round {round}: idle subscriber {idle.WithSubscriber:0.00} ms CPU/s, " +
                                      $"without it {idle.Baseline:0.00}");
                    Add("idle_cpu_ms_per_s", idle.WithSubscriber);
                    Add("idle_cpu_baseline_ms_per_s", idle.Baseline);
                    Add("idle_cpu_above_baseline_ms_per_s", idle.WithSubscriber - idle.Baseline);
                    break;
            }
        }
        Console.WriteLine(JsonSerializer.Serialize(
            figures.ToDictionary(f => f.Key, f => Math.Round(Median(f.Value), 2))));
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
