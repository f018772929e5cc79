using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Ops;
using OrdersFunctions.Operations.Health;

namespace OrdersFunctions.App.Functions.Ops;

/// <summary><c>GET /api/health</c> (anonymous): 200 when Redis answers, every group of the app exists and none lags or
/// holds an entry longer than the thresholds (<see cref="HealthOptions"/>); 503 naming the failed checks
/// otherwise.</summary>
public sealed class Health(HealthCheck check)
{
    [Function(nameof(Health))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var report = await check.CheckAsync(cancellationToken);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return OpsResults.Json(HealthContract.Of(report),
            report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
