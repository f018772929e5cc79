using OrdersFunctions.RedisStreams.DeadLetters;
namespace OrdersFunctions.RedisStreams.UnitTests;

/// <summary><see cref="FailureDescription"/> turns what a handler threw into text that clients may see: no stack
/// frames, no paths, capped.</summary>
public sealed class FailureDescriptionTests
{
    [Fact]
    public void Of_AFailureAHostReported_RecordsTheReportedType()
    {
        var description = FailureDescription.Of(new ReportedFailureException(
            "Microsoft.Azure.Functions.Worker.FunctionInputConverterException", "Cannot convert."));

        Assert.Equal(
            new FailureDescription(
                "Microsoft.Azure.Functions.Worker.FunctionInputConverterException", "Cannot convert."),
            description);
    }

    [Fact]
    public void Of_AMessageWithStackFramesAndPaths_KeepsNeither()
    {
        var description = FailureDescription.Of(new InvalidOperationException(
            "Boom\n   at A.B() in /home/build/src/A.cs:line 3\n--- End of stack trace from previous location ---\n" +
            "   at C.D()"));

        Assert.Equal("Boom", description.Message);
    }

    [Fact]
    public void Of_AbsolutePathInAMessage_KeepsOnlyTheFileName()
    {
        var description =
            FailureDescription.Of(new IOException("Could not write /srv/app/.data/orders.csv: disk full"));

        Assert.Equal("Could not write orders.csv: disk full", description.Message);
    }

    [Fact]
    public void Of_UrlInAMessage_IsLeftAlone()
    {
        var description =
            FailureDescription.Of(new InvalidOperationException("SMTP refused at https://mail.example/x/y"));

        Assert.Equal("SMTP refused at https://mail.example/x/y", description.Message);
    }

    [Fact]
    public void Of_LongMessage_IsCappedWithAnEllipsis()
    {
        var description = FailureDescription.Of(new InvalidOperationException(new string('x', 5000)));

        Assert.Equal(FailureDescription.MaxMessageLength, description.Message.Length);
        Assert.EndsWith("…", description.Message);
    }

    [Fact]
    public void Of_PlainException_KeepsItsTypeAndMessage()
    {
        var description = FailureDescription.Of(new InvalidOperationException("Order 'o-1' has no items."));

        Assert.Equal(
            new FailureDescription("System.InvalidOperationException", "Order 'o-1' has no items."), description);
    }

    [Fact]
    public void ToString_IsTypeColonMessage()
    {
        Assert.Equal("System.X: y", new FailureDescription("System.X", "y").ToString());
    }
}
