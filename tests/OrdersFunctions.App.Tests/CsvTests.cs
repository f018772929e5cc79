using OrdersFunctions.App.Spreadsheet;

namespace OrdersFunctions.App.Tests;

/// <summary>RFC 4180 formatting and scanning (no I/O).</summary>
public sealed class CsvTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\r\nlines", "\"two\r\nlines\"")]
    [InlineData("line\nfeed", "\"line\nfeed\"")]
    [InlineData("", "")]
    public void Field_QuotesOnlyWhatRfc4180Requires(string value, string expected) =>
        Assert.Equal(expected, Csv.Field(value));

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("@cmd", "'@cmd")]
    public void Field_TextAFormulaWouldRun_IsDefused(string value, string expected) =>
        Assert.Equal(expected, Csv.Field(value));

    [Fact]
    public void Row_EndsWithCrLf() =>
        Assert.Equal("a,\"b,c\"\r\n", Csv.Row(["a", "b,c"]));

    [Fact]
    public void ScanFirstFields_ReadsQuotedMultiLineRecords()
    {
        var text = Csv.Row(["id1", "x\r\ny"]) + Csv.Row(["\"id2\"", "z"]);

        var (firsts, complete) = Csv.ScanFirstFields(text);

        Assert.Equal(["id1", "\"id2\""], firsts);
        Assert.Equal(text.Length, complete);
    }

    [Fact]
    public void ScanFirstFields_PartialLastRecord_IsNotComplete()
    {
        var whole = Csv.Row(["id1", "a"]);

        var (firsts, complete) = Csv.ScanFirstFields(whole + "id2,\"unterminated");

        Assert.Equal(["id1"], firsts);
        Assert.Equal(whole.Length, complete);
    }
}
