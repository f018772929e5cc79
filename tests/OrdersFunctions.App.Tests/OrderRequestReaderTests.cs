using System.Text;
using OrdersFunctions.App.Orders;

namespace OrdersFunctions.App.Tests;

/// <summary>Validation of POST /api/orders bodies (no I/O).</summary>
public sealed class OrderRequestReaderTests
{
    private static OrderRequest? Read(string json, out Dictionary<string, string[]> errors) =>
        OrderRequestReader.Read(Encoding.UTF8.GetBytes(json), out errors);

    [Fact]
    public void Read_TheIssueExample_IsValidWithTotalAndDefaultCurrency()
    {
        var order = Read(
            "{\"customerEmail\":\"a@b.example\",\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPrice\":12.5}]}",
            out var errors);

        Assert.Empty(errors);
        Assert.NotNull(order);
        Assert.Equal(25.00m, order.Total);
        Assert.Equal("EUR", order.Currency);
    }

    [Fact]
    public void Read_PropertyNamesInAnotherCase_AreAccepted()
    {
        var order = Read(
            "{\"CustomerEmail\":\"a@b.example\",\"Items\":[{\"SKU\":\"B\",\"Quantity\":1,\"UnitPrice\":1}]}", out _);

        Assert.NotNull(order);
    }

    [Fact]
    public void Read_SeveralProblems_ListsEachFieldOnce()
    {
        var order = Read(
            "{\"customerEmail\":\"x\",\"items\":[{\"sku\":\"B\",\"quantity\":0,\"unitPrice\":-1},"
            + "{\"sku\":\"C\",\"quantity\":1.5,\"unitPrice\":1}],\"extra\":1}",
            out var errors);

        Assert.Null(order);
        Assert.Equal(["customerEmail", "extra", "items[0].quantity", "items[0].unitPrice", "items[1].quantity"],
            errors.Keys.Order());
        Assert.Equal(["must be > 0"], errors["items[0].quantity"]);
    }

    [Theory]
    [InlineData("{\"customerEmail\":\"a@b.example\"}", "items", "is required")]
    [InlineData("{\"customerEmail\":\"a@b.example\",\"items\":{}}", "items", "must be an array")]
    [InlineData("{\"items\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":1}]}", "customerEmail", "is required")]
    [InlineData("{\"customerEmail\":42,\"items\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":1}]}",
        "customerEmail", "must be a string")]
    [InlineData("{\"customerEmail\":\"Al <a@b.example>\",\"items\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":1}]}",
        "customerEmail", "must be an e-mail address such as name@example.com")]
    [InlineData("{\"customerEmail\":\"a@b.example\",\"items\":[{\"sku\":\"B\",\"quantity\":\"1\",\"unitPrice\":1}]}",
        "items[0].quantity", "must be a number")]
    [InlineData("{\"customerEmail\":\"a@b.example\",\"items\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":1.001}]}",
        "items[0].unitPrice", "must have at most 2 decimal places")]
    [InlineData("{\"customerEmail\":\"a@b.example\",\"items\":[{\"sku\":\"../etc\",\"quantity\":1,\"unitPrice\":1}]}",
        "items[0].sku", "must be 1-64 letters, digits, '.', '_' or '-'")]
    [InlineData("{\"customerEmail\":\"a@b.example\",\"currency\":\"euro\","
        + "\"items\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":1}]}",
        "currency", "must be a three-letter ISO 4217 code such as EUR (letters A-Z, any case)")]
    [InlineData("{\"customerEmail\":\"a@b.example\",\"customerEmail\":\"c@d.example\","
        + "\"items\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":1}]}",
        "customerEmail", "appears more than once")]
    [InlineData("[]", "$", "must be a JSON object")]
    public void Read_InvalidField_ReportsIt(string json, string field, string message)
    {
        var order = Read(json, out var errors);

        Assert.Null(order);
        Assert.Contains(message, errors[field]);
    }

    [Fact]
    public void Read_NotJson_ReportsTheRoot()
    {
        Read("{\"customerEmail\":", out var errors);

        Assert.StartsWith("is not valid JSON", Assert.Single(errors["$"]));
    }

    [Fact]
    public void Read_LowerCaseCurrency_IsTakenInCapitals()
    {
        var order = Read(
            "{\"customerEmail\":\"a@b.example\",\"currency\":\"usd\","
            + "\"items\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":1}]}",
            out _);

        Assert.Equal("USD", order?.Currency);
    }

    [Fact]
    public void Read_MalformedJson_SaysWhereInWords()
    {
        Read("{\"customerEmail\":\"a@b.example\",\"items\":}", out var errors);

        Assert.Equal("is not valid JSON: '}' is an invalid start of a value, at byte 40 (line 1)",
            Assert.Single(errors["$"]));
    }

    [Fact]
    public void Read_MalformedJsonOnALaterLine_CountsBytesFromTheStartOfTheBody()
    {
        Read("{\n\"customerEmail\": }", out var errors);

        Assert.EndsWith("at byte 20 (line 2)", Assert.Single(errors["$"]));
    }

    [Fact]
    public void Read_EmptyBody_SaysSo()
    {
        Read("  ", out var errors);

        Assert.Equal("is empty: send the order as a JSON object", Assert.Single(errors["$"]));
    }

    [Fact]
    public void Read_InvalidUtf8InsideAString_IsAnErrorWithItsPosition()
    {
        byte[] body =
        [
            .. "{\"customerEmail\":\"c"u8, 0xBA,
            .. "7@shop.example\",\"items\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":1}]}"u8,
        ];

        var order = OrderRequestReader.Read(body, out var errors);

        Assert.Null(order);
        Assert.Equal("is not valid UTF-8 at byte 20 (line 1): send the body encoded as UTF-8",
            Assert.Single(errors["$"]));
    }

    [Fact]
    public void Read_LoneSurrogateEscapeInAValue_NamesTheField()
    {
        var order = Read(
            "{\"customerEmail\":\"\\ud800a@b.example\",\"items\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":1}]}",
            out var errors);

        Assert.Null(order);
        Assert.StartsWith("is not valid text", Assert.Single(errors["customerEmail"]));
    }

    [Fact]
    public void Read_LoneSurrogateEscapeInAPropertyName_IsAnError()
    {
        var order = Read(
            "{\"\\udc00\":1,\"customerEmail\":\"a@b.example\","
            + "\"items\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":1}]}",
            out var errors);

        Assert.Null(order);
        Assert.StartsWith("is not valid text", Assert.Single(errors["(name)"]));
    }
}
