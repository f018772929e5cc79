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
/// and consumers, as docs/ops-api.md lays out.</summary>
public sealed class OpsOverview(StreamOverviewReader reader, OpsTopology topology, RedisGate redis, TimeProvider time)
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
            var overview = await reader.ReadAsync(topology.Streams.Select(s => topology.OverviewRequest(s.Name)), cancellationToken);
            return OpsResults.Json(OverviewContract.Of(time.GetUtcNow(), overview));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return Unavailable(request, redis.Describe(ex));
        }
    }

    private static IActionResult Unavailable(HttpRequest request, RedisConnectionProblem problem) =>
        Problems.RedisUnavailable(request, "The overview is unavailable right now.", problem, "Try again later.");
}
