using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Http;
using OrdersFunctions.App.Ops;
using OrdersFunctions.RedisStreams.Overview;
using StackExchange.Redis;

namespace OrdersFunctions.App.Functions.Ops;

/// <summary><c>GET /api/ops/overview</c> (master key): the orders stream, its retention floor, dead letters, groups
/// and consumers, as docs/ops-api.md lays out.</summary>
public sealed class OpsOverview(StreamOverviewReader reader, OpsStreams streams, TimeProvider time)
{
    [Function(nameof(OpsOverview))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/overview")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        try
        {
            var overview = await reader.ReadAsync([streams.Request], cancellationToken);
            return OpsJson.Ok(OpsJson.Overview(time.GetUtcNow(), overview));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            request.HttpContext.Response.Headers.RetryAfter = "5";
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, "The overview is unavailable right now.",
                "Redis (app setting RedisConnection) cannot be reached. Try again later.");
        }
    }
}
