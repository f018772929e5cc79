using Microsoft.Net.Http.Headers;

namespace OrdersFunctions.App.Http;

/// <summary>Whether a Content-Type header announces UTF-8 JSON.</summary>
public static class JsonContentType
{
    /// <summary>True for <c>application/json</c> and <c>application/*+json</c>, with no charset or a UTF-8 one.</summary>
    public static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed))
            return false;
        var isJson = parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (parsed.Type.Equals("application", StringComparison.OrdinalIgnoreCase)
                && parsed.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
        var charset = parsed.Charset;
        return isJson && (!charset.HasValue || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
                                            || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
    }
}
