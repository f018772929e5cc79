using OrdersFunctions.App.Http;

namespace OrdersFunctions.App.Tests;

/// <summary>Which Content-Type headers POST /api/orders takes as JSON (no I/O).</summary>
public sealed class JsonContentTypeTests
{
    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("application/merge-patch+json", true)]
    [InlineData("application/vnd.api+json", true)]
    [InlineData("text/json", true)]
    [InlineData("text/json; charset=utf-8", true)]
    [InlineData("application/json; charset=\"UTF-8\"", true)]
    [InlineData("*/*", false)]
    [InlineData("application/*", false)]
    [InlineData("text/jsonp", false)]
    [InlineData("application/json; charset=iso-8859-1", false)]
    [InlineData("text/plain", false)]
    [InlineData(null, false)]
    public void IsJson_ReadsMediaTypeAndCharset(string? contentType, bool expected) =>
        Assert.Equal(expected, JsonContentType.IsJson(contentType));
}
