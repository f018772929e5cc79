using System.Globalization;
using Microsoft.Extensions.Options;
using OrdersFunctions.Operations.Health;
using OrdersFunctions.Operations.Topology;

namespace OrdersFunctions.App.Ops;

/// <summary>
/// Judges the app's health from Redis: reachable, each of the app's groups exists, and no group's lag or oldest
/// pending age is over <see cref="HealthOptions"/>. Answers at once when the connection is known to be down
/// (<see cref="RedisGate"/>) and otherwise within <see cref="HealthReadings"/>' bounds, so a probe with a short timeout
/// always gets an answer. Details carry figures, names and the connection problem's one line (which names the setting
/// and the fix), never connection strings, host names or exception texts (the endpoint is anonymous).
/// </summary>
public sealed class HealthCheck(
    HealthReadings readings, RedisGate redis, OpsTopology topology, IOptions<HealthOptions> options)
{
    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        if (redis.Problem is { } down)
            return RedisUnhealthy(down.Message);
        // Health is polled often: the dead-letter counts are left out (they scan the dead-letter stream).
        var reading = await readings.ReadAsync(cancellationToken);
        if (reading.Failure is { } failure)
            return RedisUnhealthy(redis.Describe(failure).Message);
        if (reading.Overviews is not { } overviews)
            return RedisUnhealthy(string.Create(CultureInfo.InvariantCulture,
                $"Redis has not answered for {reading.RunningFor?.TotalSeconds:0.0} s (app setting "
                + $"'{OrdersAppStartup.RedisConnectionSetting}'): it is overloaded, blocked or unreachable."));

        var checks = new List<HealthCheckResult> { new("redis", true, null) };
        var limits = options.Value;
        foreach (var (stream, overview) in topology.Streams.Zip(overviews))
        foreach (var name in stream.Groups.Select(g => g.Name))
        {
            var check = $"group {stream.Name}/{name}";
            var group = overview.Groups.FirstOrDefault(g => g.Name == name);
            if (group is null)
            {
                checks.Add(new HealthCheckResult(check, false, "The consumer group does not exist: its function has not started, or the stream was deleted."));
                continue;
            }
            var problems = new List<string>();
            if (group.Lag > limits.MaxLag)
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"lag {group.Lag} is over {limits.MaxLag}"));
            if (group.OldestPendingAgeSeconds > limits.MaxPendingAge.TotalSeconds)
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"oldest pending entry is {group.OldestPendingAgeSeconds:0} s old, over {limits.MaxPendingAge.TotalSeconds:0} s"));
            var detail = problems.Count > 0
                ? string.Join("; ", problems) + "."
                : string.Create(CultureInfo.InvariantCulture, $"lag {group.Lag?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}, pending {group.Pending}.");
            checks.Add(new HealthCheckResult(check, problems.Count == 0, detail));
        }
        return new HealthReport(checks.All(c => c.Healthy), checks);
    }

    private static HealthReport RedisUnhealthy(string detail) =>
        new(false, [new HealthCheckResult("redis", false, detail)]);
}
