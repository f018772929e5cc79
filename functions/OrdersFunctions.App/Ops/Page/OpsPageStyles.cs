using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace OrdersFunctions.App.Ops.Page;

/// <summary><c>GET /api/ops/page.css</c>: the ops page's stylesheet, a separate file so the page's
/// Content-Security-Policy can forbid inline style. Anonymous, like the shell: static, no data.</summary>
public sealed class OpsPageStyles
{
    [Function(nameof(OpsPageStyles))]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/page.css")] HttpRequest request) =>
        PageAsset.Serve(request, PageAsset.Text("page.css"), "text/css; charset=utf-8");
}
