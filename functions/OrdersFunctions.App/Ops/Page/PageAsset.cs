using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace OrdersFunctions.App.Ops.Page;

/// <summary>
/// The ops page's static files (HTML, JS, CSS), embedded in the app assembly so the page works on a machine without
/// internet and needs no build step. Every answer carries the same hardening headers: the page shell is anonymous
/// (see docs/ops-page.md), so it must never be cached, framed, sniffed or allowed to run anything but its own script.
/// </summary>
internal static class PageAsset
{
    /// <summary>Only our own script and stylesheet, API calls to our own origin, nothing inline, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string ResourcePrefix = "OrdersFunctions.App.Ops.Page.";
    private static readonly ConcurrentDictionary<string, string> Texts = new(StringComparer.Ordinal);

    /// <summary>The embedded file <paramref name="name"/> (e.g. <c>page.js</c>) as text, read once.</summary>
    /// <exception cref="InvalidOperationException">The file is not embedded: the csproj lost its EmbeddedResource
    /// item.</exception>
    public static string Text(string name) => Texts.GetOrAdd(name, static n =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + n)
            ?? throw new InvalidOperationException(
                $"The ops page file '{n}' is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}: " +
                $"keep Ops/Page/{n} as an EmbeddedResource in the app's csproj.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>A 200 answer with <paramref name="content"/> and the hardening headers set on the response.</summary>
    public static IActionResult Serve(HttpRequest request, string content, string contentType)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        // The page may be opened with ?code=<master key>: never hand that URL to anyone as a referrer.
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        return new ContentResult { Content = content, ContentType = contentType, StatusCode = StatusCodes.Status200OK };
    }
}
