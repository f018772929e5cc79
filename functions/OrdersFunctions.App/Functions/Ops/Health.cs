using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Ops;

namespace OrdersFunctions.App.Functions.Ops;

/// <summary><c>GET /api/health</c> (anonymous): 200 when Redis answers, both groups exist and neither lags or holds an
/// entry longer than the thresholds (<see cref="HealthOptions"/>); 503 naming the failed checks otherwise.</summary>
public sealed class Health(HealthCheck check)
{
    [Function(nameof(Health))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var report = await check.CheckAsync(cancellationToken);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return OpsJson.Ok(OpsJson.Health(report), report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
