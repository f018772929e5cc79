using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace OrdersFunctions.App.Ops.Page;

/// <summary>
/// <c>GET /api/ops</c>: the operations page's HTML shell. Anonymous on purpose: it holds no data, and under the
/// Functions host an Admin-level route answers a missing key with an empty 401, so the page could never tell the
/// operator that the master key is required. Every data route the page calls is Admin-level (docs/ops-page.md).
/// </summary>
public sealed class OpsPage
{
    /// <summary>Placeholder in page.html for the page's own path, so its script and stylesheet resolve under any
    /// route prefix and with or without a trailing slash.</summary>
    internal const string BasePlaceholder = "{{pageBase}}";

    [Function(nameof(OpsPage))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops")] HttpRequest request)
    {
        var pageBase = (request.PathBase + request.Path).ToString().TrimEnd('/');
        var html = PageAsset.Text("page.html")
            .Replace(BasePlaceholder, HtmlEncoder.Default.Encode(pageBase), StringComparison.Ordinal);
        return PageAsset.Serve(request, html, "text/html; charset=utf-8");
    }
}
