using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OrdersFunctions.App.Http;

namespace OrdersFunctions.App.Ops;

/// <summary>
/// Refuses state-changing ops requests that a web page on another origin made a browser send. Without a master key
/// (the local default) the admin routes need no key, so any page could otherwise POST a replay or discard with
/// <c>mode: 'no-cors'</c>. Requests without browser headers (curl, scripts, server-to-server) are unaffected.
/// </summary>
public static class OpsWriteGuard
{
    /// <summary>403 for a cross-origin browser request; with <paramref name="requireJson"/> (the bulk routes, where an
    /// empty body matches everything) 415 unless the body is announced as JSON, which a cross-site page cannot send
    /// without a CORS preflight; otherwise null (go on).</summary>
    public static IActionResult? Refusal(HttpRequest request, bool requireJson)
    {
        if (IsCrossOrigin(request))
            return Problems.Status(StatusCodes.Status403Forbidden, "Cross-origin request refused.",
                "The operations API takes state-changing requests only from its own origin (the ops page) "
                + "or from non-browser clients (curl, the ops CLI).");
        if (requireJson && !JsonContentType.IsJson(request.ContentType))
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "The body must be JSON.",
                "Send the filter as a JSON object with 'Content-Type: application/json', "
                + "e.g. {\"group\": \"notifications\", \"dryRun\": true}; {} matches every dead letter.");
        return null;
    }

    private static bool IsCrossOrigin(HttpRequest request)
    {
        // The browser's own verdict when it gives one (it cannot be set by a page); it stays right behind a proxy that
        // terminates TLS, where the request's scheme as seen here differs from the page's.
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0)
            return !fetchSite.Equals("same-origin", StringComparison.OrdinalIgnoreCase)
                && !fetchSite.Equals("none", StringComparison.OrdinalIgnoreCase);
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
            return false;
        // "null" (an opaque origin: sandboxed frame, file:) or anything unparsable is another origin.
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var originUri) || !request.Host.HasValue)
            return true;
        var ownPort = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return !originUri.Scheme.Equals(request.Scheme, StringComparison.OrdinalIgnoreCase)
               || !originUri.Host.Equals(request.Host.Host, StringComparison.OrdinalIgnoreCase)
               || originUri.Port != ownPort;
    }
}
