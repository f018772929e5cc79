using System.Globalization;
using Microsoft.Extensions.Options;
using OrdersFunctions.Operations.Health;
using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.Overview;

namespace OrdersFunctions.App.Ops;

/// <summary>
/// Judges the app's health: Redis answers, each of the app's groups exists, and no group's lag or oldest pending age
/// is over <see cref="HealthOptions"/>. It costs Redis a PING, one XINFO GROUPS and an XLEN per stream
/// (<see cref="StreamHealthProbe"/>); the rest of the figures come from the shared overview snapshot, never from a
/// fresh overview. It answers at once when the connection is known to be down (<see cref="RedisGate"/>) and within
/// <see cref="AnswerWithin"/> whatever Redis does. Details carry figures, names and the connection problem's one line,
/// never connection strings, host names or exception texts (the endpoint is anonymous).
/// </summary>
public sealed class HealthCheck(
    StreamHealthProbe probe, RedisGate redis, OpsTopology topology, IOptions<HealthOptions> options)
{
    /// <summary>The longest a health answer waits for Redis.</summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromMilliseconds(500);

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        if (redis.Problem is { } down)
            return RedisUnhealthy(down.Message);
        var streams = new List<StreamHealth>(topology.Streams.Count);
        try
        {
            foreach (var stream in topology.Streams)
                streams.Add(await probe.CheckAsync(stream.Name, stream.Groups.Select(g => g.Name), cancellationToken)
                    .WaitAsync(AnswerWithin, cancellationToken));
        }
        catch (TimeoutException)
        {
            return RedisUnhealthy(string.Create(CultureInfo.InvariantCulture,
                $"Redis has not answered within {AnswerWithin.TotalSeconds:0.0} s (app setting "
                + $"'{OrdersAppStartup.RedisConnectionSetting}'): it is overloaded, blocked or unreachable."));
        }
        if (streams.Any(s => !s.RedisReachable))
            return RedisUnhealthy(redis.Problem?.Message
                ?? $"Redis did not answer (app setting '{OrdersAppStartup.RedisConnectionSetting}'): "
                + "try again shortly.");

        var checks = new List<HealthCheckResult> { new("redis", true, null) };
        var limits = options.Value;
        foreach (var stream in streams)
        foreach (var group in stream.Groups)
            checks.Add(Judge(stream, group, limits));
        var figuresAge = streams.Select(s => s.FiguresAgeSeconds).Max();
        return new HealthReport(checks.All(c => c.Healthy), checks) { FiguresAgeSeconds = figuresAge };
    }

    private static HealthCheckResult Judge(StreamHealth stream, GroupHealth group, HealthOptions limits)
    {
        var check = $"group {stream.Stream}/{group.Group}";
        if (!group.Exists)
            return new HealthCheckResult(check, false,
                "The consumer group does not exist: its function has not started, or the stream was deleted.");
        var problems = new List<string>();
        if (group.Lag is { } lag && lag.Entries > limits.MaxLag)
            problems.Add($"lag {lag} is over {limits.MaxLag.ToString(CultureInfo.InvariantCulture)}");
        if (group.OldestPendingAgeSeconds > limits.MaxPendingAge.TotalSeconds)
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"oldest pending entry is {group.OldestPendingAgeSeconds:0} s old, "
                + $"over {limits.MaxPendingAge.TotalSeconds:0} s"));
        var detail = problems.Count > 0
            ? string.Join("; ", problems) + "."
            : $"lag {group.Lag?.ToString() ?? "unknown"}, "
                + $"pending {group.Pending?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}.";
        return new HealthCheckResult(check, problems.Count == 0, detail);
    }

    private static HealthReport RedisUnhealthy(string detail) =>
        new(false, [new HealthCheckResult("redis", false, detail)]);
}
