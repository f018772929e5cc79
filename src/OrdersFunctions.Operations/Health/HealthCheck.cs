using System.Globalization;
using Microsoft.Extensions.Options;
using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.Overview;
using StackExchange.Redis;

namespace OrdersFunctions.Operations.Health;

/// <summary>
/// Judges the app's health from Redis: reachable, each of the app's groups exists, and no group's lag or oldest
/// pending age is over <see cref="HealthOptions"/>. Details carry figures and names only, never connection strings,
/// host names or exception texts (the endpoint is anonymous).
/// </summary>
public sealed class HealthCheck(StreamOverviewReader reader, OpsTopology topology, IOptions<HealthOptions> options)
{
    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<StreamOverview> overviews;
        try
        {
            overviews = await reader.ReadAsync(topology.Streams.Select(s => topology.OverviewRequest(s.Name) with { CountDeadLetters = false }),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new HealthReport(false, [new HealthCheckResult("redis", false, "Redis cannot be reached.")]);
        }

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
}

/// <summary>The outcome of <see cref="HealthCheck"/>.</summary>
public sealed record HealthReport(bool Healthy, IReadOnlyList<HealthCheckResult> Checks);

/// <summary>One check: its name, outcome and a short detail without internals.</summary>
public sealed record HealthCheckResult(string Name, bool Healthy, string? Detail);
