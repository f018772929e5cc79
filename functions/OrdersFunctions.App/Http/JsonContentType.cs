using Microsoft.Net.Http.Headers;

namespace OrdersFunctions.App.Http;

/// <summary>Whether a Content-Type header announces UTF-8 JSON.</summary>
public static class JsonContentType
{
    /// <summary>
    /// True for <c>application/json</c>, <c>text/json</c> and any <c>type/subtype+json</c> (RFC 6839 structured
    /// syntax suffix, e.g. <c>application/vnd.api+json</c>), with no charset or a UTF-8 one. The three are the same
    /// JSON to us, so none is refused while another is taken.
    /// </summary>
    public static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MatchesAllSubTypes)
            return false;
        var isJson = parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || parsed.MediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || parsed.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);
        var charset = HeaderUtilities.RemoveQuotes(parsed.Charset); // charset="utf-8" is the same charset
        return isJson && (!charset.HasValue || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
                                            || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
    }
}
