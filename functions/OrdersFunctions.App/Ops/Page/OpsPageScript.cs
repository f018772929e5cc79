using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace OrdersFunctions.App.Ops.Page;

/// <summary><c>GET /api/ops/page.js</c>: the ops page's script, a separate file so the page's Content-Security-Policy
/// can forbid inline script. Anonymous, like the shell: static code, no data.</summary>
public sealed class OpsPageScript
{
    [Function(nameof(OpsPageScript))]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/page.js")] HttpRequest request) =>
        PageAsset.Serve(request, PageAsset.Text("page.js"), "text/javascript; charset=utf-8");
}
