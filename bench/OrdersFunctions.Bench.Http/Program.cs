using System.Diagnostics;
using System.Net;
using System.Text;
using OrdersFunctions.App.Functions;
using OrdersFunctions.Bench;
using OrdersFunctions.LocalHost;
using StackExchange.Redis;

// Usage: dotnet run -c Release --project bench/OrdersFunctions.Bench.Http -- [--redis host:port] [--senders 32]
//        [--orders 20000] [--seconds 20] [--warmup-seconds 5] [--max-warmup-seconds 60]
// Without --redis it starts its own redis-server (no persistence) on a free loopback port and stops it at the end.
var redisArg = Arg("--redis");
var senders = int.Parse(Arg("--senders") ?? "32");
var maxOrders = int.Parse(Arg("--orders") ?? "20000");
var maxSeconds = double.Parse(Arg("--seconds") ?? "20", System.Globalization.CultureInfo.InvariantCulture);
var warmupSeconds = double.Parse(Arg("--warmup-seconds") ?? "5", System.Globalization.CultureInfo.InvariantCulture);
var maxWarmupSeconds = double.Parse(Arg("--max-warmup-seconds") ?? "60",
    System.Globalization.CultureInfo.InvariantCulture);

var folder = Directory.CreateTempSubdirectory("orders-bench-").FullName;
await using var ownRedis = redisArg is null ? await LocalRedisServer.StartAsync() : null;
var redis = redisArg ?? ownRedis!.ConnectionString;
var stream = $"bench:orders:{Guid.NewGuid():N}";
try
{
    var settingsFile = Path.Combine(folder, "local.settings.json");
    await File.WriteAllTextAsync(settingsFile, System.Text.Json.JsonSerializer.Serialize(new
    {
        Values = new Dictionary<string, string>
        {
            ["RedisConnection"] = redis,
            ["OrdersStream"] = stream,
            ["NotificationsGroup"] = "notifications",
            ["SpreadsheetsGroup"] = "spreadsheets",
            ["Spreadsheet__CsvPath"] = Path.Combine(folder, "orders.csv"),
            ["Notifications__OutboxPath"] = Path.Combine(folder, "outbox"),
            ["Logging__LogLevel__Default"] = "Warning",
        },
    }));
    var host = LocalFunctionsHost.Build(new LocalHostOptions
    {
        AppAssembly = typeof(PlaceOrder).Assembly,
        Port = 0,
        SettingsFile = settingsFile,
        UseEnvironmentVariables = false,
    });
    await host.StartAsync();
    var baseUrl = host.Urls.Single();

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = senders })
    {
        BaseAddress = new Uri(baseUrl),
    };
    var body = Encoding.UTF8.GetBytes("{\"customerEmail\":\"bench@example.com\","
        + "\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPrice\":12.5}]}");
    // Warm-up: connections and consumer groups, then load at full concurrency long enough for tiered JIT to reach
    // its optimised code (a 10 s run measured from a 200-order warm-up spent ~13% of its CPU in the JIT). The
    // measured run below is then the steady state a running instance sustains; its orders are not counted.
    for (var i = 0; i < 200; i++) await PostAsync();
    var warmup = Stopwatch.StartNew();
    var jitQuiet = JitQuietAsync(warmup);
    await Task.WhenAll(Enumerable.Range(0, senders).Select(async _ =>
    {
        while (!jitQuiet.IsCompleted) await PostAsync();
    }));
    var warmupTime = warmup.Elapsed;
    await WaitDrainedAsync(TimeSpan.FromSeconds(60));

    var accepted = 0;
    var failed = 0;
    // CPU of this process (senders + host + consumers) from the first order to the drain: less sensitive than orders/s
    // to other work on the machine, so changes can be compared on a busy box. redis-server's CPU is not included.
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
    var allocatedBefore = GC.GetTotalAllocatedBytes();
    var gcPauseBefore = GC.GetTotalPauseDuration();
    var (userBefore, systemBefore) =
        (Process.GetCurrentProcess().UserProcessorTime, Process.GetCurrentProcess().PrivilegedProcessorTime);
    var clock = Stopwatch.StartNew();
    var deadline = TimeSpan.FromSeconds(maxSeconds);
    await Task.WhenAll(Enumerable.Range(0, senders).Select(async _ =>
    {
        while (clock.Elapsed < deadline && Interlocked.Increment(ref accepted) <= maxOrders)
        {
            if (!await PostAsync()) { Interlocked.Increment(ref failed); Interlocked.Decrement(ref accepted); }
        }
        Interlocked.Decrement(ref accepted); // the increment that found the budget spent
    }));
    var sendTime = clock.Elapsed;
    var drainClock = Stopwatch.StartNew();
    var drained = await WaitDrainedAsync(TimeSpan.FromSeconds(60));
    var drainTime = drainClock.Elapsed;
    var cpuPerOrder = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds
        / Math.Max(1, accepted);
    var jitMs = (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds;
    var allocatedPerOrder = (GC.GetTotalAllocatedBytes() - allocatedBefore) / Math.Max(1, accepted);
    var gcPauseMs = (GC.GetTotalPauseDuration() - gcPauseBefore).TotalMilliseconds;
    // The kernel's share (sockets, file creation, thread wake-ups) next to our own code's.
    var systemShare = 100 * (Process.GetCurrentProcess().PrivilegedProcessorTime - systemBefore)
        / (Process.GetCurrentProcess().UserProcessorTime - userBefore
            + Process.GetCurrentProcess().PrivilegedProcessorTime - systemBefore);
    await host.StopAsync();
    await host.DisposeAsync();

    var rate = accepted / sendTime.TotalSeconds;
    Console.WriteLine($"cores: {Environment.ProcessorCount}; senders: {senders}; "
        + $"warm-up: {warmupTime.TotalSeconds:0.#} s (at least {warmupSeconds:0.#} s, "
        + $"then until the JIT was quiet, at most {maxWarmupSeconds:0.#} s)");
    Console.WriteLine(
        $"accepted {accepted} orders in {sendTime.TotalSeconds:0.00} s = {rate:0} orders/s ({failed} failed)");
    Console.WriteLine(drained
        ? $"both groups drained {drainTime.TotalMilliseconds:0} ms after the load stopped"
        : "groups NOT drained within 60 s");
    Console.WriteLine($"CPU of this process from the first order to drained: {cpuPerOrder:0} us per order "
        + $"({systemShare:0} % in the kernel; {jitMs:0} ms compiling code; "
        + $"{allocatedPerOrder:N0} bytes allocated per order, GC pauses {gcPauseMs:0} ms)");
    Console.WriteLine($"{{\"cores\":{Environment.ProcessorCount},\"accepted_per_s\":{rate:0},"
        + $"\"drain_ms\":{(drained ? drainTime.TotalMilliseconds : -1):0},\"failed\":{failed},"
        + $"\"cpu_us_per_order\":{cpuPerOrder:0},\"warmup_s\":{warmupTime.TotalSeconds:0.0},"
        + $"\"jit_ms_in_run\":{jitMs:0},\"kernel_cpu_percent\":{systemShare:0},"
        + $"\"alloc_bytes_per_order\":{allocatedPerOrder},\"gc_pause_ms_in_run\":{gcPauseMs:0}}}");
    return 0;

    async Task<bool> PostAsync()
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var response = await http.PostAsync("/api/orders", content);
        return response.StatusCode == HttpStatusCode.Accepted;
    }

    // Completes once warm-up has run --warmup-seconds and tiered compilation has settled: under a second's load the
    // JIT spent under 10 ms (1 %), for two seconds in a row. On a busy 2-core machine the background tier-1 compiler
    // took well over 5 s to catch up, and a run measured meanwhile charged its compiling (and the slower tier-0 code)
    // to every order. Capped at --max-warmup-seconds, after which the run is measured anyway (jit_ms_in_run says so).
    async Task JitQuietAsync(Stopwatch since)
    {
        await Task.Delay(TimeSpan.FromSeconds(warmupSeconds));
        var quietSeconds = 0;
        var last = System.Runtime.JitInfo.GetCompilationTime();
        while (quietSeconds < 2 && since.Elapsed.TotalSeconds < maxWarmupSeconds)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = System.Runtime.JitInfo.GetCompilationTime();
            quietSeconds = (now - last).TotalMilliseconds < 10 ? quietSeconds + 1 : 0;
            last = now;
        }
    }

    async Task<bool> WaitDrainedAsync(TimeSpan limit)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        var database = connection.GetDatabase();
        var until = Stopwatch.StartNew();
        while (until.Elapsed < limit)
        {
            var groups = await database.StreamGroupInfoAsync(stream);
            if (groups.Length == 2 && groups.All(g => g is { PendingMessageCount: 0, Lag: 0 }))
                return true;
            await Task.Delay(5);
        }
        return false;
    }
}
finally
{
    Directory.Delete(folder, recursive: true);
}

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
