using System.Diagnostics;
using OrdersFunctions.Bench.Scale.Checks;
using OrdersFunctions.Bench.Scale.Control;
using OrdersFunctions.Bench.Scale.Instances;
using OrdersFunctions.Bench.Scale.Load;
using OrdersFunctions.Bench.Scale.Mail;
using OrdersFunctions.Bench.Scale.Observe;
using OrdersFunctions.Bench.Scale.Report;
using OrdersFunctions.RedisStreams.WebJobs;
using StackExchange.Redis;

namespace OrdersFunctions.Bench.Scale;

/// <summary>
/// Runs one scenario end to end: its instances on a stream of its own, the controller (unless fixed), the load, the
/// observer; then waits for the groups to drain and the instances to settle, checks, and stops everything.
/// </summary>
public sealed class ScenarioRunner(RepositoryLayout layout, SimulationOptions options, string redisConnection,
    IDatabase redis, SmtpSink smtp, string workDirectory, TextWriter log)
{
    public async Task<(ScenarioSummary Summary, IReadOnlyList<TimelineRow> Rows)> RunAsync(Scenario scenario,
        CancellationToken cancellationToken)
    {
        var settings = InstanceSettings.Write(Path.Combine(workDirectory, scenario.Name), scenario.Name,
            redisConnection, smtp.Port, options);
        var watch = Stopwatch.StartNew();
        var origin = TimeSpan.Zero;
        TimeSpan Clock() => watch.Elapsed - origin;
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 32,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
        }) { Timeout = TimeSpan.FromSeconds(20) };
        await using var pool = new InstancePool(layout, settings, redis, http, Clock);
        await using var connections = new RedisConnectionFactoryCache();
        var rules = options.Rules;
        var initial = scenario.FixedInstances
            ?? Math.Clamp(options.InitialInstances ?? rules.MinInstances, rules.MinInstances, rules.MaxInstances);
        await log.WriteLineAsync($"{scenario.Name}: starting {initial} instance(s) on stream {settings.Stream}");
        await pool.StartAndWaitAsync(initial, cancellationToken);
        origin = watch.Elapsed; // the scenario's clock starts once its first instances answer

        var controller = scenario.IsDynamic
            ? new ScaleController(rules, Scalers(settings, scenario, connections), pool, Clock, log)
            : null;
        var load = new OrderLoad(http, pool, options.MaxOrdersInFlight);
        var observer = new Observer(scenario.Name, redis, settings.Stream, pool, load, smtp.Mailbox, controller, Clock);
        var profile = new LoadProfile(options.SurgeStart, options.SurgeDuration, options.SurgeOrdersPerSecond);
        var messagesAtStart = smtp.Mailbox.Messages;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var observing = observer.RunAsync(stop.Token);
        var controlling = controller?.RunAsync(stop.Token) ?? Task.CompletedTask;
        var loading = load.RunAsync(profile, Clock, cancellationToken);
        KilledInstance? killed = null;
        if (scenario.KillMidSurge)
        {
            await DelayUntilAsync(Clock, options.SurgeStart + options.SurgeDuration / 2, cancellationToken);
            if (await pool.KillOneAsync() is { } victim)
            {
                killed = await KilledInstance.CaptureAsync(redis, settings.Stream, victim.Name, Clock());
                await log.WriteLineAsync(FormattableString.Invariant(
                    $"  {Clock().TotalSeconds,6:0.0} s  SIGKILL {victim.Name}: held {killed.PendingAtKill} entries"));
            }
        }
        await loading;
        await DelayUntilAsync(Clock, options.Window, cancellationToken);
        await SettleAsync(Clock, observer, pool, scenario, cancellationToken);
        var live = pool.All.Where(i => !i.HasExited && !i.IsStopping).Select(i => i.Name)
            .ToHashSet(StringComparer.Ordinal);
        await WaitForCleanupAsync(settings.Stream, live, cancellationToken);
        await stop.CancelAsync();
        await IgnoreCancellationAsync(observing);
        await IgnoreCancellationAsync(controlling);

        var outcome = new ScenarioOutcome(
            load.Accepted.Keys.ToHashSet(StringComparer.Ordinal), load.Failed, load.Retries, settings.CsvPath,
            smtp.Mailbox.Snapshot(), smtp.Mailbox.Messages - messagesAtStart, pool.Stops, pool.Problems, live, killed);
        var checks = await new CorrectnessChecks(redis, settings.Stream).RunAsync(outcome);
        if (scenario.KillMidSurge && killed is null)
            checks.Add(new CheckResult("an instance was killed mid-surge", false, "only one ran at mid-surge"));
        var instanceSeconds = pool.InstanceSeconds(TimeSpan.Zero, options.Window, Clock());
        await pool.StopAllAsync();
        var rows = observer.Rows;
        var summary = ScenarioSummary.Of(scenario.Name, rows, outcome.Accepted.Count, instanceSeconds,
            options.SurgeEnd, rules.MinInstances, scenario.IsDynamic, checks);
        return (summary, rows);
    }

    private List<RedisStreamScalers> Scalers(InstanceSettings settings, Scenario scenario,
        RedisConnectionFactoryCache connections)
    {
        var configuration = ScalerConfiguration.Build(settings.SettingsFile, layout.HostJson,
            options.Rules.MaxInstances, options.ScaleSettings, scenario.ScaleSettings);
        var factory = new RedisStreamScalerFactory(configuration, connections);
        return StreamFunctionMetadata.Read(layout.FunctionsMetadata)
            .Select(f => factory.Create(f.Name, f.Attribute)).ToList();
    }

    /// <summary>After the window: until both groups drained and (controller-driven) the minimum runs;
    /// bounded.</summary>
    private async Task SettleAsync(Func<TimeSpan> clock, Observer observer, InstancePool pool, Scenario scenario,
        CancellationToken cancellationToken)
    {
        var until = options.Window + options.SettleTimeout;
        while (clock() < until)
        {
            var drained = observer.Latest is { Drained: true };
            if (drained && (!scenario.IsDynamic || pool.Running == options.Rules.MinInstances))
                return;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary>Until only live instances' consumers remain in the groups: a dead consumer is deleted once idle past
    /// ConsumerIdleTimeout, by a sweep that runs every half of it (at least every ClaimInterval). Bounded.</summary>
    private async Task WaitForCleanupAsync(string stream, IReadOnlySet<string> live,
        CancellationToken cancellationToken)
    {
        var limit = Stopwatch.StartNew();
        var bound = options.ConsumerIdleTimeout * 2 + options.ClaimInterval * 2 + TimeSpan.FromSeconds(10);
        while (limit.Elapsed < bound)
        {
            var remaining = 0;
            foreach (var group in AppFunctions.Groups)
                remaining += (await redis.StreamConsumerInfoAsync(stream, group)).Count(c => !live.Contains(c.Name));
            if (remaining == 0)
                return;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static async Task DelayUntilAsync(Func<TimeSpan> clock, TimeSpan at, CancellationToken cancellationToken)
    {
        var wait = at - clock();
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, cancellationToken);
    }

    private static async Task IgnoreCancellationAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
