using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace OrdersFunctions.App.Ops.Page;

/// <summary>
/// <c>GET /api/ops/key-check</c>: 204 when the request carries the master key, the host's own 401 when not. Admin-level
/// and data-free: the page asks it first, so a missing or wrong key shows the "master key required" panel at once,
/// before (and apart from) any failure of the data routes such as Redis being down.
/// </summary>
public sealed class OpsPageKeyCheck
{
    [Function(nameof(OpsPageKeyCheck))]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/key-check")] HttpRequest request)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return new NoContentResult();
    }
}
