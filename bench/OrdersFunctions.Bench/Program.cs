using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrdersFunctions.Bench;
using StackExchange.Redis;

// The engine benchmark. One run, one Redis, loopback only, bounded in count and time. Human-readable lines first;
// the LAST line is one JSON object with the figures (see docs/bench.md).
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

await using var ownServer = options.Redis is null ? await LocalRedisServer.StartAsync() : null;
var connectionString = options.Redis ?? ownServer!.ConnectionString;
await using var admin = await ConnectionMultiplexer.ConnectAsync(connectionString);
var db = admin.GetDatabase();
var redisVersion = admin.GetServers()[0].Version;
var total = Stopwatch.StartNew();

Console.WriteLine($"OrdersFunctions.Bench{(options.Quick ? " (quick)" : "")}: {Environment.ProcessorCount} cores, " +
                  $"{RuntimeDescription()}, Redis {redisVersion} at " +
                  $"{(options.Redis is null ? connectionString + " (started by the bench)" : "--redis")}");
Console.WriteLine($"Entries per throughput phase: {options.Entries:N0}; payload {Phases.Payload.Length} bytes");
if (options.Only is not null)
    return await SinglePhase.RunAsync(connectionString, db, options);

var xaddRaw = await Phases.RawXAddAsync(db, options);
Console.WriteLine($"raw XADD (pipelined, same envelope)    {xaddRaw,12:N0} entries/s");

var publish = await Phases.PublishAsync(connectionString, db, options);
Console.WriteLine($"publish through StreamPublisher        {publish,12:N0} entries/s");

var consume1x1Figures = await Phases.ConsumeAsync(connectionString, db, options, groups: 1, consumersPerGroup: 1);
var consume1x1 = consume1x1Figures.PerSecond;
Console.WriteLine($"consume+ack 1 group x 1 consumer       {consume1x1,12:N0} entries/s " +
                  $"({consume1x1Figures.CpuMicrosecondsPerDelivery:0.0} µs CPU per entry)");

var trigger = await TriggerPhase.RunAsync(connectionString, db, options, LogLevel.Information);
Console.WriteLine($"trigger in a JobHost, 1 function       {trigger.PerSecond,12:N0} entries/s " +
                  $"({trigger.PerSecond / Math.Max(1, consume1x1):0.00}x consume 1x1; " +
                  $"{trigger.CpuMicrosecondsPerInvocation:0.0} µs CPU per entry; host log level Information, " +
                  $"{trigger.LogLinesPerInvocation:0.0} log lines per invocation)");
var triggerQuiet = await TriggerPhase.RunAsync(connectionString, db, options, LogLevel.Warning);
Console.WriteLine($"trigger in a JobHost, log level Warning{triggerQuiet.PerSecond,12:N0} entries/s " +
                  $"({triggerQuiet.PerSecond / Math.Max(1, consume1x1):0.00}x consume 1x1; " +
                  $"{triggerQuiet.CpuMicrosecondsPerInvocation:0.0} µs CPU per entry: the Information lines cost " +
                  $"{trigger.CpuMicrosecondsPerInvocation - triggerQuiet.CpuMicrosecondsPerInvocation:0.0} " +
                  "µs CPU per invocation)");

var triggerBatch = await TriggerPhase.RunAsync(connectionString, db, options, LogLevel.Information, batched: true);
Console.WriteLine($"trigger in a JobHost, batched function {triggerBatch.PerSecond,12:N0} entries/s " +
                  $"({triggerBatch.PerSecond / Math.Max(1, consume1x1):0.00}x consume 1x1; " +
                  $"{triggerBatch.CpuMicrosecondsPerInvocation:0.0} µs CPU per entry; " +
                  "string[] with IsBatched, MaxBatchSize 100; host log level Information)");

var consume2x2 = (await Phases.ConsumeAsync(connectionString, db, options, groups: 2, consumersPerGroup: 2)).PerSecond;
Console.WriteLine($"consume+ack 2 groups x 2 consumers     {consume2x2,12:N0} deliveries/s (both groups together)");

var retention = await RetentionPhase.RunAsync(connectionString, db, options);
Console.WriteLine($"consume+ack 1x1 retention off / on     {retention.OffPerSecond,12:N0} / " +
                  $"{retention.OnPerSecond:N0} entries/s " +
                  $"(on = {100 * retention.OnPerSecond / Math.Max(1, retention.OffPerSecond):0.0} % of off; " +
                  "best of 2 each, alternating)");
Console.WriteLine($"stream length, retention on            {retention.LengthAtDrain,12:N0} when drained, " +
                  $"{retention.LengthAfterWindow:N0} after the " +
                  $"{RetentionPhase.MinAge.TotalSeconds:0} s min-age window ({options.Entries:N0} entries published)");

var (p50, p99, samples) = await Phases.LatencyAsync(connectionString, db, options);
Console.WriteLine($"publish->handler start at 1,000/s      p50 {p50:0.000} ms, p99 {p99:0.000} ms " +
                  $"({samples:N0} samples after {options.LatencyWarmUp.TotalSeconds:0} s warm-up)");

var (idleCpu, idleBaseline) = await Phases.IdleCpuAsync(connectionString, db, options);
Console.WriteLine($"idle subscriber CPU                    {idleCpu,12:0.00} ms CPU per second " +
                  $"(median of {options.IdleWindows} × {options.IdleWindow.TotalSeconds:0} s; " +
                  $"the same process without the subscriber: {idleBaseline:0.00}, " +
                  $"median of {options.IdleWindows} × {options.IdleBaselineWindow.TotalSeconds:0} s; " +
                  $"above it: {idleCpu - idleBaseline:0.00})");
// Last: it loads millions of entries, and the idle figure above must not carry what that leaves behind.
var opsAtScale = await OpsAtScalePhase.RunAsync(connectionString, admin, options);
Console.WriteLine($"total run time {total.Elapsed.TotalSeconds:0.0} s");

var figures = new Dictionary<string, double>
{
    ["xadd_raw_per_s"] = Math.Round(xaddRaw),
    ["publish_per_s"] = Math.Round(publish),
    ["consume_1x1_per_s"] = Math.Round(consume1x1),
    ["consume_2x2_per_s"] = Math.Round(consume2x2),
    ["trigger_jobhost_per_s"] = Math.Round(trigger.PerSecond),
    ["trigger_jobhost_batch_per_s"] = Math.Round(triggerBatch.PerSecond),
    ["latency_p50_ms"] = Math.Round(p50, 3),
    ["latency_p99_ms"] = Math.Round(p99, 3),
    ["idle_cpu_ms_per_s"] = Math.Round(idleCpu, 2),
    ["idle_cpu_baseline_ms_per_s"] = Math.Round(idleBaseline, 2),
    ["idle_cpu_above_baseline_ms_per_s"] = Math.Round(idleCpu - idleBaseline, 2),
    ["consume_1x1_retention_off_per_s"] = Math.Round(retention.OffPerSecond),
    ["consume_1x1_retention_on_per_s"] = Math.Round(retention.OnPerSecond),
    ["retention_on_vs_off_percent"] = Math.Round(100 * retention.OnPerSecond / Math.Max(1, retention.OffPerSecond), 1),
    ["retention_length_at_drain"] = retention.LengthAtDrain,
    ["retention_length_after_min_age"] = retention.LengthAfterWindow,
};
foreach (var (key, value) in opsAtScale)
    figures[key] = value;
Console.WriteLine(JsonSerializer.Serialize(figures));
return 0;

static string RuntimeDescription() =>
    $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} on " +
    $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
