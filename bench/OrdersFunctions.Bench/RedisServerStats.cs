using System.Globalization;
using StackExchange.Redis;

namespace OrdersFunctions.Bench;

/// <summary>
/// What the Redis server itself reports about its work: its CPU time (INFO cpu: <c>used_cpu_user + used_cpu_sys</c>,
/// all of redis-server's threads), the slow log (every command slower than a threshold, with its duration) and the
/// per-command statistics. The bench measures Redis's cost from Redis's side: the bench's own CPU competes with it on
/// the same cores, Redis's CPU time per command does not depend on that.
/// </summary>
internal sealed class RedisServerStats(IDatabase db, IServer server)
{
    /// <summary>Commands slower than this go to the slow log while <see cref="RecordSlowCommandsAsync"/> is on.
    /// </summary>
    public const int SlowLogMicroseconds = 200;

    /// <summary>redis-server's CPU time so far, in milliseconds.</summary>
    public async Task<double> CpuMillisecondsAsync()
    {
        var info = (string?)await db.ExecuteAsync("INFO", "cpu") ?? "";
        double Field(string name)
        {
            foreach (var line in info.Split('\n'))
            {
                if (line.StartsWith(name + ":", StringComparison.Ordinal))
                    return double.Parse(line[(name.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
            throw new InvalidOperationException($"INFO cpu has no {name}.");
        }
        return (Field("used_cpu_user") + Field("used_cpu_sys")) * 1000;
    }

    /// <summary>Redis's CPU per second (ms/s) while nothing but the connections' heartbeats runs, over
    /// <paramref name="window"/>.</summary>
    public async Task<double> IdleCpuMillisecondsPerSecondAsync(TimeSpan window)
    {
        var before = await CpuMillisecondsAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(window);
        return (await CpuMillisecondsAsync() - before) / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The idle rate once it has settled: after the load grew the keyspace (hundreds of thousands of dead-letter
    /// records with a TTL), Redis's timers rehash the main dictionary and sample expiring keys for a while, several
    /// ms/s that would otherwise be subtracted from, or added to, whatever is measured next. Two-second windows until
    /// two in a row agree within 0.3 ms/s (at most a minute).
    /// </summary>
    public async Task<double> SteadyIdleCpuMillisecondsPerSecondAsync()
    {
        var window = TimeSpan.FromSeconds(2);
        var previous = await IdleCpuMillisecondsPerSecondAsync(window);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            var rate = await IdleCpuMillisecondsPerSecondAsync(window);
            if (Math.Abs(rate - previous) < 0.3)
                return rate;
            previous = rate;
        }
        return previous;
    }

    /// <summary>Empties the slow log and the command statistics and logs every command slower than
    /// <see cref="SlowLogMicroseconds"/> from now on.</summary>
    public async Task RecordSlowCommandsAsync()
    {
        await server.ExecuteAsync("CONFIG", "SET", "slowlog-log-slower-than", SlowLogMicroseconds);
        await server.ExecuteAsync("CONFIG", "SET", "slowlog-max-len", 100_000);
        await server.ExecuteAsync("SLOWLOG", "RESET");
        await server.ExecuteAsync("CONFIG", "RESETSTAT");
    }

    /// <summary>The slowest single run of each command in the slow log since <see cref="RecordSlowCommandsAsync"/>
    /// (milliseconds, by lower-case command name), and the command statistics (calls, average µs).</summary>
    public async Task<CommandCosts> SlowCommandsAsync()
    {
        var slowest = new Dictionary<string, double>(StringComparer.Ordinal);
        var overOneMs = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in (RedisResult[])(await server.ExecuteAsync("SLOWLOG", "GET", 100_000))!)
        {
            var entry = (RedisResult[])item!;
            var micros = (long)entry[2];
            var args = (RedisResult[])entry[3]!;
            var name = ((string?)args[0] ?? "?").ToLowerInvariant();
            if (name is "evalsha" or "eval")
                name = "script";
            slowest[name] = Math.Max(slowest.GetValueOrDefault(name), micros / 1000.0);
            if (micros > 1_000)
                overOneMs[name] = overOneMs.GetValueOrDefault(name) + 1;
        }
        var stats = new Dictionary<string, (long Calls, double MicrosPerCall)>(StringComparer.Ordinal);
        var info = (string?)await db.ExecuteAsync("INFO", "commandstats") ?? "";
        foreach (var line in info.Split('\n'))
        {
            // cmdstat_xtrim:calls=10,usec=3477,usec_per_call=347.70,rejected_calls=0,failed_calls=0
            if (!line.StartsWith("cmdstat_", StringComparison.Ordinal))
                continue;
            var colon = line.IndexOf(':');
            var fields = line[(colon + 1)..].Trim().Split(',').Select(f => f.Split('='))
                .ToDictionary(f => f[0], f => f[1]);
            stats[line[8..colon]] = (long.Parse(fields["calls"], CultureInfo.InvariantCulture),
                double.Parse(fields["usec_per_call"], CultureInfo.InvariantCulture));
        }
        await server.ExecuteAsync("CONFIG", "SET", "slowlog-log-slower-than", 10_000);
        return new CommandCosts(slowest, overOneMs, stats);
    }
}

/// <summary>Per command: the slowest single run above the slow-log threshold (ms), how many runs took over 1 ms, and
/// calls with their average. The slow log times each command's run on Redis's clock, so on a busy machine a run during
/// which the OS took the core from Redis also shows as slow.</summary>
internal sealed record CommandCosts(IReadOnlyDictionary<string, double> SlowestMilliseconds,
    IReadOnlyDictionary<string, int> OverOneMillisecond,
    IReadOnlyDictionary<string, (long Calls, double MicrosPerCall)> Stats)
{
    /// <summary>The slowest run of <paramref name="command"/> in ms; the slow log's threshold when none was slower.
    /// </summary>
    public double Slowest(string command) =>
        SlowestMilliseconds.GetValueOrDefault(command, RedisServerStats.SlowLogMicroseconds / 1000.0);

    /// <summary>The slowest run of any command but <paramref name="except"/> in ms (the threshold when none was
    /// slower).</summary>
    public double SlowestOfAllBut(string except) => SlowestMilliseconds.Where(p => p.Key != except)
        .Select(p => p.Value).DefaultIfEmpty(RedisServerStats.SlowLogMicroseconds / 1000.0).Max();

    /// <summary>The slowest run of any command in ms (the threshold when none was slower).</summary>
    public double SlowestOfAll => SlowestOfAllBut("");

    /// <summary>The command that took <see cref="SlowestOfAll"/>, or "-".</summary>
    public string SlowestCommand => SlowestMilliseconds.Count == 0 ? "-" : SlowestMilliseconds.MaxBy(p => p.Value).Key;

    /// <summary>Runs of any command that took over 1 ms.</summary>
    public int RunsOverOneMillisecond => OverOneMillisecond.Values.Sum();
}
