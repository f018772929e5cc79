using OrdersFunctions.App.Http;
using OrdersFunctions.App.Orders;

namespace OrdersFunctions.App.Tests;

/// <summary>Small pure helpers (no I/O).</summary>
public sealed class StreamIdsTests
{
    [Theory]
    [InlineData("9-0", "10-0", -1)]
    [InlineData("10-2", "10-10", -1)]
    [InlineData("10-1", "10-1", 0)]
    [InlineData("11-0", "10-99", 1)]
    public void Compare_OrdersNumerically(string a, string b, int sign) =>
        Assert.Equal(sign, Math.Sign(StreamIds.Compare(a, b)));

    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("application/merge-patch+json", true)]
    [InlineData("application/json; charset=iso-8859-1", false)]
    [InlineData("text/plain", false)]
    [InlineData(null, false)]
    public void JsonContentType_IsJson(string? contentType, bool expected) =>
        Assert.Equal(expected, JsonContentType.IsJson(contentType));
}
