using System.Diagnostics;
using System.Globalization;
using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.Bench;

/// <summary>
/// ops_at_scale: what the operator surfaces cost Redis as the stream grows (10k, 100k, 1M, 2M entries; with
/// <c>--quick</c> 10k and 100k). Per size: the overview read and the health probe called back to back (wall time
/// p50/p99, Redis CPU per call above its idle rate, the slowest single command), then 10 viewers polling every 2 s
/// through one shared <see cref="OverviewSnapshots"/> (Redis CPU per second and per viewer poll, reads of Redis) and
/// another client's PING p99 while they poll against an idle window. Then retention catching up a large backlog and a
/// claim sweep over a dead consumer's pending entries, with the slowest single command of each (Redis's slow log).
/// </summary>
internal static class OpsAtScalePhase
{
    private const int OverviewCalls = 100;
    private const int HealthCalls = 200;
    private const int Viewers = 10;
    private static readonly TimeSpan ViewerPoll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SweepFreshFor = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SweepClaimAfter = TimeSpan.FromSeconds(10);

    /// <param name="connectionString">The bench's Redis.</param>
    /// <param name="admin">The bench's own connection (loading, INFO, SLOWLOG).</param>
    /// <param name="options">Sizes and windows (<c>--quick</c>).</param>
    /// <param name="maintenanceOnly">Only the retention and sweep part (<c>--only ops_maintenance</c>), on a stream of
    /// 400,000 entries: for before/after runs of those limits.</param>
    public static async Task<Dictionary<string, double>> RunAsync(string connectionString, IConnectionMultiplexer admin,
        BenchOptions options, bool maintenanceOnly = false)
    {
        var db = admin.GetDatabase();
        var server = admin.GetServers()[0];
        var stats = new RedisServerStats(db, server);
        var sizes = maintenanceOnly ? []
            : options.Quick ? new long[] { 10_000, 100_000 } : [10_000, 100_000, 1_000_000, 2_000_000];
        var window = TimeSpan.FromSeconds(options.Quick ? 6 : 20);
        var figures = new Dictionary<string, double>();
        var rows = new List<string>();
        await using var connections = new RedisConnectionFactory(connectionString);
        using var pings = new PingSampler(server.EndPoint);
        var load = new ScaleLoad(db, Phases.NewStream("ops"));
        var request = new StreamOverviewRequest(load.Stream);
        var healthGroups = new[] { load.Groups[0], load.Groups[^1] }; // one Redis can tell the lag of, one it cannot
        Console.WriteLine(
            $"ops_at_scale: {load.Groups.Count} groups ({ScaleLoad.NilLagGroups} with nil lag), " +
            $"{load.Groups.Count * ScaleLoad.ConsumersPerGroup} consumers; {Viewers} viewers every " +
            $"{ViewerPoll.TotalSeconds:0} s for {window.TotalSeconds:0} s per size");
        try
        {
            if (sizes.Length > 0)
                await WarmUpAsync(connections, load, sizes[0], request, healthGroups);
            foreach (var size in sizes)
            {
                await load.GrowToAsync(size);
                var key = "ops_" + Label(size);
                var idle = await stats.SteadyIdleCpuMillisecondsPerSecondAsync();

                var reader = new StreamOverviewReader(connections);
                var overview = await MeasureCallsAsync(stats, idle, OverviewCalls, () => reader.ReadAsync(request));
                var sample = await reader.ReadAsync(request);

                CallFigures health;
                await using (var snapshots = new OverviewSnapshots(reader, [request]))
                {
                    await snapshots.GetAsync(TimeSpan.FromMinutes(1));
                    var probe = new StreamHealthProbe(connections, snapshots);
                    health = await MeasureCallsAsync(stats, idle, HealthCalls,
                        () => probe.CheckAsync(load.Stream, healthGroups));
                }
                Add(figures, key + "_overview", overview);
                Add(figures, key + "_health", health);

                // Redis CPU without and with the viewers (no PING traffic: its rate wobbles with the machine's load and
                // would swamp the viewers' few ms), then another client's PING without and with them.
                await stats.SteadyIdleCpuMillisecondsPerSecondAsync();
                var quiet = await stats.IdleCpuMillisecondsPerSecondAsync(window);
                var viewers = await PollAsync(connections, request, stats, quiet, window, pings: null);
                pings.StartWindow();
                await Task.Delay(window);
                var (pingIdle, _) = pings.EndWindow();
                var pinged = await PollAsync(connections, request, stats, quiet, window, pings);
                viewers = viewers with { PingP99 = pinged.PingP99, SlowestCommand = pinged.SlowestCommand };
                figures[key + "_viewers_redis_cpu_ms_per_s"] = Math.Round(viewers.CpuPerSecond, 3);
                figures[key + "_viewers_redis_cpu_ms_per_poll"] = Math.Round(viewers.CpuPerPoll, 4);
                figures[key + "_viewers_redis_command_ms_per_s"] = Math.Round(viewers.CommandsPerSecond, 3);
                figures[key + "_viewers_reads_per_s"] = Math.Round(viewers.ReadsPerSecond, 3);
                figures[key + "_ping_p99_idle_ms"] = Math.Round(pingIdle, 3);
                figures[key + "_ping_p99_viewers_ms"] = Math.Round(viewers.PingP99, 3);
                figures[key + "_viewers_max_command_ms"] = Math.Round(viewers.SlowestCommand, 3);

                var nil = sample.Groups.First(g => g.Name.StartsWith('n'));
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {Label(size)} | {load.DeadLetters:N0} | {overview.P50:0.0} / {overview.P99:0.0} | " +
                    $"{overview.RedisCpu:0.00} | {overview.RedisCommands:0.00} | {overview.Slowest:0.00} | " +
                    $"{health.P50:0.00} / {health.P99:0.00} | " +
                    $"{health.RedisCpu:0.000} | {viewers.CpuPerSecond:0.00} | {viewers.CommandsPerSecond:0.00} | " +
                    $"{viewers.CpuPerPoll:0.000} | " +
                    $"{viewers.ReadsPerSecond:0.00} | {pingIdle:0.00} → {viewers.PingP99:0.00} | " +
                    $"{viewers.SlowestCommand:0.00} | " +
                    $"{(sample.DeadLetterCountsExact == true ? "exact" : "counting")}, nil lag {nil.LagEstimate} |"));
                Console.WriteLine(
                    $"  {Label(size)}: overview p50 {overview.P50:0.0} ms, {overview.RedisCpu:0.00} ms Redis CPU " +
                    $"({overview.RedisCommands:0.00} ms in commands) " +
                    $"(slowest command {overview.SlowestCommand} {overview.Slowest:0.00} ms); health p50 " +
                    $"{health.P50:0.00} ms, {health.RedisCpu:0.000} ms; viewers {viewers.CpuPerSecond:0.00} " +
                    $"({viewers.CommandsPerSecond:0.00} in commands) " +
                    $"ms/s above {quiet:0.00} idle ({viewers.Reads} reads for {viewers.Polls} polls); " +
                    $"PING p99 {pingIdle:0.00} → " +
                    $"{viewers.PingP99:0.00} ms, slowest command {viewers.SlowestCommand:0.00} ms");
                Console.WriteLine($"    overview's commands per call: {overview.CommandBreakdown}");
            }

            if (maintenanceOnly)
                await load.GrowToAsync(options.Quick ? 100_000 : 400_000);
            var deadLetterTrim = await TrimDeadLettersAsync(connections, stats, load);
            await db.KeyDeleteAsync([load.Stream, load.DeadLetterStream]);
            var catchUp = await RetentionCatchUpAsync(connections, db, stats, options.Quick ? 100_000 : 1_000_000);
            var sweep = await SweepAsync(connectionString, db, stats, options.Quick ? 10_000 : 100_000,
                TimeSpan.FromSeconds(options.Quick ? 12 : 20));
            foreach (var (name, value) in deadLetterTrim.Concat(catchUp).Concat(sweep))
                figures["ops_" + name] = Math.Round(value, 3);

            PrintTable(rows, figures);
            return figures;
        }
        finally
        {
            await db.KeyDeleteAsync([load.Stream, load.DeadLetterStream]);
        }
    }

    /// <summary>
    /// Every measured path run for a few seconds on the first size before anything is measured, so that the first row
    /// is not the one that pays for the bench's JIT (tiered compilation promotes a method after 30 calls and compiles
    /// it in the background) and Redis's first touches of the new keys.
    /// </summary>
    private static async Task WarmUpAsync(IRedisConnectionFactory connections, ScaleLoad load, long size,
        StreamOverviewRequest request, string[] healthGroups)
    {
        await load.GrowToAsync(size);
        var reader = new StreamOverviewReader(connections);
        await using var snapshots = new OverviewSnapshots(reader, [request]);
        var probe = new StreamHealthProbe(connections, snapshots);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await reader.ReadAsync(request);
            await snapshots.GetAsync(TimeSpan.Zero);
            await probe.CheckAsync(load.Stream, healthGroups);
        }
    }

    /// <summary><paramref name="calls"/> calls one after another (after as many to warm up: the first ones run the
    /// JIT's unoptimised code): wall p50/p99, Redis CPU per call above its idle rate, Redis's own time in the calls'
    /// commands per call (INFO commandstats: the time during which Redis serves nobody else, without the socket reads
    /// and writes and the server's timers that the CPU figure includes), and the slowest single Redis command among
    /// them.</summary>
    private static async Task<CallFigures> MeasureCallsAsync(RedisServerStats stats, double idleCpuPerSecond, int calls,
        Func<Task> call)
    {
        for (var i = 0; i < calls; i++)
            await call();
        await stats.RecordSlowCommandsAsync();
        var times = new double[calls];
        var cpuBefore = await stats.CpuMillisecondsAsync();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            var clock = Stopwatch.StartNew();
            await call();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        var elapsed = total.Elapsed;
        var cpu = await stats.CpuMillisecondsAsync() - cpuBefore - idleCpuPerSecond * elapsed.TotalSeconds;
        var slow = await stats.SlowCommandsAsync();
        Array.Sort(times);
        var commands = MeasuredCommands(slow);
        var commandMicros = commands.Sum(c => c.Value.Calls * c.Value.MicrosPerCall);
        var breakdown = string.Join(", ", commands
            .OrderByDescending(c => c.Value.Calls * c.Value.MicrosPerCall)
            .Select(c => string.Create(CultureInfo.InvariantCulture,
                $"{c.Key} {(double)c.Value.Calls / calls:0.#}× {c.Value.MicrosPerCall:0} µs")));
        return new CallFigures(Stats.Percentile(times, 0.5), Stats.Percentile(times, 0.99), Math.Max(0, cpu) / calls,
            commandMicros / 1000 / calls, breakdown, slow.SlowestOfAll, slow.SlowestCommand);
    }

    /// <summary>The command statistics without the bench's own INFO, CONFIG and SLOWLOG calls and the PING sampler's
    /// (Redis 7 names subcommands "config|resetstat").</summary>
    private static List<KeyValuePair<string, (long Calls, double MicrosPerCall)>> MeasuredCommands(
        CommandCosts costs) =>
        costs.Stats.Where(c => c.Key.Split('|')[0] is not ("info" or "config" or "slowlog" or "ping")).ToList();

    /// <summary>Ten viewers, each asking the shared snapshots for figures no older than 2 s every 2 s (started 200 ms
    /// apart), for <paramref name="window"/>; the PING sampler records meanwhile.</summary>
    private static async Task<ViewerFigures> PollAsync(IRedisConnectionFactory connections,
        StreamOverviewRequest request, RedisServerStats stats, double idleCpuPerSecond, TimeSpan window,
        PingSampler? pings)
    {
        await stats.RecordSlowCommandsAsync();
        await using var snapshots = new OverviewSnapshots(new StreamOverviewReader(connections), [request]);
        var polls = 0;
        using var stop = new CancellationTokenSource();
        var cpuBefore = await stats.CpuMillisecondsAsync();
        var clock = Stopwatch.StartNew();
        pings?.StartWindow();
        var viewers = Enumerable.Range(0, Viewers).Select(async i =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200 * i));
            while (!stop.IsCancellationRequested)
            {
                await snapshots.GetAsync(ViewerPoll);
                Interlocked.Increment(ref polls);
                try
                {
                    await Task.Delay(ViewerPoll, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }).ToArray();
        await Task.Delay(window);
        stop.Cancel();
        await Task.WhenAll(viewers);
        var pingP99 = pings?.EndWindow().P99 ?? double.NaN;
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = Math.Max(0, await stats.CpuMillisecondsAsync() - cpuBefore - idleCpuPerSecond * elapsed);
        var slow = await stats.SlowCommandsAsync();
        var commandMs = MeasuredCommands(slow).Sum(c => c.Value.Calls * c.Value.MicrosPerCall) / 1000;
        return new ViewerFigures(cpu / elapsed, cpu / Math.Max(1, polls), commandMs / elapsed,
            snapshots.ReadCount / elapsed,
            snapshots.ReadCount, polls, pingP99, slow.SlowestOfAll);
    }

    /// <summary>One retention run over the main stream's dead letters, all older than a 1 ms DeadLetterMaxAge: it trims
    /// up to 100,000 of them in counted steps of 500.</summary>
    private static async Task<Dictionary<string, double>> TrimDeadLettersAsync(IRedisConnectionFactory connections,
        RedisServerStats stats, ScaleLoad load)
    {
        var retention = new OrdersFunctions.RedisStreams.Retention.StreamRetention(connections);
        var policy = new OrdersFunctions.RedisStreams.Retention.RetentionPolicy(TimeSpan.FromDays(1),
            DeadLetterMaxAge: TimeSpan.FromMilliseconds(1));
        await stats.RecordSlowCommandsAsync();
        var clock = Stopwatch.StartNew();
        var result = await retention.TrimAsync(load.Stream, load.DeadLetterStream, policy);
        var run = clock.Elapsed.TotalMilliseconds;
        var slow = await stats.SlowCommandsAsync();
        var steps = slow.Stats.GetValueOrDefault("evalsha");
        Console.WriteLine(
            $"  dead-letter trim: {result.DeadLettersTrimmed:N0} of {load.DeadLetters:N0} in one run, {run:0} ms; " +
            $"{steps.Calls} steps, slowest {slow.Slowest("script"):0.00} ms, " +
            $"average {steps.MicrosPerCall / 1000:0.00} ms");
        return new()
        {
            ["dead_letter_trim_per_run"] = result.DeadLettersTrimmed,
            ["dead_letter_trim_run_ms"] = run,
            ["dead_letter_trim_max_step_ms"] = slow.Slowest("script"),
            ["dead_letter_trim_steps_over_1ms"] = slow.OverOneMillisecond.GetValueOrDefault("script"),
        };
    }

    /// <summary>A stream of <paramref name="entries"/> every group has read and acknowledged, older than the minimum
    /// age: one retention run catches it up (XTRIM MINID ~ with a LIMIT, several calls).</summary>
    private static async Task<Dictionary<string, double>> RetentionCatchUpAsync(IRedisConnectionFactory connections,
        IDatabase db, RedisServerStats stats, int entries)
    {
        var backlog = new ScaleLoad(db, Phases.NewStream("retention-backlog"), groupsAndDeadLetters: false);
        await backlog.GrowToAsync(entries);
        try
        {
            // Both groups have read and acknowledged everything: the whole backlog is below the floor.
            foreach (var group in new[] { "notifications", "spreadsheets" })
                await db.StreamCreateConsumerGroupAsync(backlog.Stream, group, "$");
            var retention = new OrdersFunctions.RedisStreams.Retention.StreamRetention(connections);
            await stats.RecordSlowCommandsAsync();
            var clock = Stopwatch.StartNew();
            var result = await retention.TrimAsync(backlog.Stream, null,
                new OrdersFunctions.RedisStreams.Retention.RetentionPolicy(TimeSpan.Zero));
            var run = clock.Elapsed.TotalMilliseconds;
            var slow = await stats.SlowCommandsAsync();
            var calls = slow.Stats.GetValueOrDefault("xtrim");
            Console.WriteLine(
                $"  retention catch-up: {result.Trimmed:N0} of {entries:N0} entries in one run, {run:0} ms, " +
                $"{calls.Calls} XTRIM calls, slowest {slow.Slowest("xtrim"):0.00} ms, " +
                $"average {calls.MicrosPerCall / 1000:0.00} ms");
            return new()
            {
                ["retention_catchup_trimmed"] = result.Trimmed,
                ["retention_catchup_run_ms"] = run,
                ["retention_catchup_xtrim_calls"] = calls.Calls,
                ["retention_catchup_max_xtrim_ms"] = slow.Slowest("xtrim"),
                ["retention_catchup_xtrim_over_1ms"] = slow.OverOneMillisecond.GetValueOrDefault("xtrim"),
            };
        }
        finally
        {
            await db.KeyDeleteAsync([backlog.Stream, backlog.DeadLetterStream]);
        }
    }

    /// <summary>A consumer that read <paramref name="entries"/> entries and died; a live subscriber starts at once, so
    /// its sweeps first see a large pending list of fresh entries (for <see cref="SweepFreshFor"/>), and after
    /// <see cref="SweepClaimAfter"/> claim them.</summary>
    private static async Task<Dictionary<string, double>> SweepAsync(string connectionString, IDatabase db,
        RedisServerStats stats, int entries, TimeSpan window)
    {
        var stream = Phases.NewStream("sweep");
        const string Group = "bench-sweep";
        await new ScaleLoad(db, stream, groupsAndDeadLetters: false).GrowToAsync(entries);
        await db.StreamCreateConsumerGroupAsync(stream, Group, "0-0");
        await using var connections = new RedisConnectionFactory(connectionString);
        await connections.GetSharedAsync();
        // One read of everything, then the live subscriber at once: its first sweeps meet a pending list of entries
        // idle for less than a second (the worst case for a scan that filters by idle time), then claim them.
        await stats.RecordSlowCommandsAsync();
        await db.StreamReadGroupAsync(stream, Group, "dead", ">", entries);
        long handled = 0;
        var subscriber = new OrdersFunctions.RedisStreams.Consuming.StreamSubscriber(connections,
            new OrdersFunctions.RedisStreams.Configuration.StreamSubscriberOptions
            {
                Stream = stream,
                Group = Group,
                Consumer = "live",
                // Sweeps skip entries idle for less than RetryBackoffInitial (5 s here, 1 s by default): for that long
                // the whole pending list is fresh. Then ClaimMinIdle passes and they are claimed.
                RetryBackoffInitial = SweepFreshFor,
                ClaimMinIdle = SweepClaimAfter,
                ClaimInterval = TimeSpan.FromMilliseconds(500),
            },
            (_, _) =>
            {
                Interlocked.Increment(ref handled);
                return Task.CompletedTask;
            });
        try
        {
            await subscriber.StartAsync();
            await Task.Delay(window);
            var slow = await stats.SlowCommandsAsync();
            var pending = slow.Stats.GetValueOrDefault("xpending");
            var claim = slow.Stats.GetValueOrDefault("xclaim");
            var perSecond = Interlocked.Read(ref handled) / Math.Max(0.001, (window - SweepClaimAfter).TotalSeconds);
            Console.WriteLine(
                $"  dead-consumer sweep: {Interlocked.Read(ref handled):N0} of {entries:N0} claimed and handled in " +
                $"{window.TotalSeconds:0} s ({perSecond:N0}/s after ClaimMinIdle); XPENDING slowest " +
                $"{slow.Slowest("xpending"):0.00} ms, average {pending.MicrosPerCall / 1000:0.000} ms over " +
                $"{pending.Calls}; XCLAIM slowest {slow.Slowest("xclaim"):0.00} ms, average " +
                $"{claim.MicrosPerCall / 1000:0.000} ms; slowest of all but the dead consumer's read " +
                $"{slow.SlowestOfAllBut("xreadgroup"):0.00} ms; XPENDING runs over 1 ms: " +
                $"{slow.OverOneMillisecond.GetValueOrDefault("xpending")}");
            return new()
            {
                ["sweep_claimed_per_s"] = perSecond,
                ["sweep_max_xpending_ms"] = slow.Slowest("xpending"),
                ["sweep_max_xclaim_ms"] = slow.Slowest("xclaim"),
                ["sweep_max_command_ms"] = slow.SlowestOfAllBut("xreadgroup"),
                ["sweep_xpending_over_1ms"] = slow.OverOneMillisecond.GetValueOrDefault("xpending"),
            };
        }
        finally
        {
            await subscriber.DisposeAsync();
            await db.KeyDeleteAsync(stream);
        }
    }

    private static void PrintTable(List<string> rows, Dictionary<string, double> figures)
    {
        Console.WriteLine();
        Console.WriteLine(
            "| entries | dead letters | overview p50 / p99 ms | overview Redis CPU ms/call | " +
            "overview Redis command time ms/call | slowest command ms | " +
            "health p50 / p99 ms | health Redis CPU ms/call | 10 viewers Redis CPU ms/s | command time ms/s | " +
            "CPU ms/poll | reads/s | " +
            "PING p99 idle → viewers ms | slowest command while polling ms | figures |");
        Console.WriteLine(
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | " +
            "--- |");
        foreach (var row in rows)
            Console.WriteLine(row);
        Console.WriteLine();
    }

    private static void Add(Dictionary<string, double> figures, string key, CallFigures call)
    {
        figures[key + "_p50_ms"] = Math.Round(call.P50, 3);
        figures[key + "_p99_ms"] = Math.Round(call.P99, 3);
        figures[key + "_redis_cpu_ms"] = Math.Round(call.RedisCpu, 4);
        figures[key + "_redis_command_ms"] = Math.Round(call.RedisCommands, 4);
        figures[key + "_max_command_ms"] = Math.Round(call.Slowest, 3);
    }

    private static string Label(long size) => size >= 1_000_000 ? $"{size / 1_000_000}M" : $"{size / 1_000}k";

    private sealed record CallFigures(double P50, double P99, double RedisCpu, double RedisCommands,
        string CommandBreakdown, double Slowest, string SlowestCommand);

    private sealed record ViewerFigures(double CpuPerSecond, double CpuPerPoll, double CommandsPerSecond,
        double ReadsPerSecond, long Reads,
        int Polls, double PingP99, double SlowestCommand);
}
