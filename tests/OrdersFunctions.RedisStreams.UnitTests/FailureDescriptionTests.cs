using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Testing;
namespace OrdersFunctions.RedisStreams.UnitTests;

/// <summary><see cref="FailureDescription"/> turns what a handler threw into text that clients may see: the worker's own
/// exception, no stack frames, no paths, capped.</summary>
public sealed class FailureDescriptionTests
{
    private const string WorkerMessage = HostRpcText.WorkerMessage;
    private const string HostText = HostRpcText.HostText;

    [Fact]
    public void Of_HostRpcText_KeepsOnlyTheWorkersMessage()
    {
        var description = FailureDescription.Of(FailureDescription.HostRpcExceptionType, HostText);

        Assert.Equal(WorkerMessage, description.Message);
    }

    [Fact]
    public void Of_HostRpcException_TakesTheWorkersTypeFromRemoteTypeName()
    {
        var exception = new RpcException("Failure", WorkerMessage, "   at X.Y() in /_/src/X.cs:line 1",
            "Microsoft.Azure.Functions.Worker.FunctionInputConverterException");

        var description = FailureDescription.Of(exception);

        Assert.Equal("Microsoft.Azure.Functions.Worker.FunctionInputConverterException", description.Type);
        Assert.Equal(WorkerMessage, description.Message);
    }

    [Fact]
    public void Of_HostRpcTextWhoseExceptionLineStartsWithAType_TakesThatType()
    {
        var text = "Result: Failure\nException: System.InvalidOperationException: Order 'o-1' has no items.\nStack:    at A.B() in /_/src/A.cs:line 3";

        var description = FailureDescription.Of(FailureDescription.HostRpcExceptionType, text);

        Assert.Equal(new FailureDescription("System.InvalidOperationException", "Order 'o-1' has no items."), description);
    }

    [Fact]
    public void Of_HostRpcTextCutBeforeTheStackMarker_StillDropsTheFrames()
    {
        var cut = HostText[..HostText.IndexOf("--- End", StringComparison.Ordinal)];

        var description = FailureDescription.Of(FailureDescription.HostRpcExceptionType, cut);

        Assert.Equal(WorkerMessage, description.Message);
    }

    [Fact]
    public void Of_HostRpcText_LeavesNoFrameOrPath()
    {
        var description = FailureDescription.Of(FailureDescription.HostRpcExceptionType, HostText);

        Assert.DoesNotContain(" at ", description.Message);
        Assert.DoesNotContain("/_/", description.Message);
        Assert.DoesNotContain("/home/", description.Message);
        Assert.DoesNotContain(":line ", description.Message);
        Assert.DoesNotContain('\n', description.Message);
    }

    [Fact]
    public void Of_AbsolutePathInAMessage_KeepsOnlyTheFileName()
    {
        var description = FailureDescription.Of(new IOException("Could not write /srv/app/.data/orders.csv: disk full"));

        Assert.Equal("Could not write orders.csv: disk full", description.Message);
    }

    [Fact]
    public void Of_UrlInAMessage_IsLeftAlone()
    {
        var description = FailureDescription.Of(new InvalidOperationException("SMTP refused at https://mail.example/x/y"));

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

        Assert.Equal(new FailureDescription("System.InvalidOperationException", "Order 'o-1' has no items."), description);
    }

    [Fact]
    public void ToString_IsTypeColonMessage()
    {
        Assert.Equal("System.X: y", new FailureDescription("System.X", "y").ToString());
    }

    /// <summary>Shaped like the host's Microsoft.Azure.WebJobs.Script.Workers.Rpc.RpcException (message format and
    /// RemoteTypeName), which this project cannot reference.</summary>
    private sealed class RpcException(string result, string message, string stack, string typeName)
        : Exception($"Result: {result}\nException: {message}\nStack: {stack}")
    {
        public string RemoteTypeName { get; } = typeName;
    }
}
