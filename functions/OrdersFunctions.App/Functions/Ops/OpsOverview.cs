using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Http;
using OrdersFunctions.App.Ops;
using OrdersFunctions.Operations.Overview;
using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.App.Functions.Ops;

/// <summary><c>GET /api/ops/overview</c> (master key): the app's streams, their retention floors, dead letters, groups
/// and consumers, as docs/ops-api.md lays out: the process's shared snapshot, at most two seconds old.</summary>
public sealed class OpsOverview(OverviewSnapshots snapshots, RedisGate redis, TimeProvider time)
{
    [Function(nameof(OpsOverview))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/overview")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (redis.Problem is { } down)
            return Unavailable(request, down);
        try
        {
            // Every viewer shares one read per interval; the answer says how old it is.
            var snapshot = await snapshots.GetAsync(SnapshotMaxAge, cancellationToken);
            return OpsResults.Json(OverviewContract.Of(snapshot, time.GetUtcNow()));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return Unavailable(request, redis.Describe(ex));
        }
    }

    /// <summary>The ops page polls every 2 s: a snapshot up to that old answers it.</summary>
    public static readonly TimeSpan SnapshotMaxAge = TimeSpan.FromSeconds(2);

    private static IActionResult Unavailable(HttpRequest request, RedisConnectionProblem problem) =>
        Problems.RedisUnavailable(request, "The overview is unavailable right now.", problem, "Try again later.");
}
