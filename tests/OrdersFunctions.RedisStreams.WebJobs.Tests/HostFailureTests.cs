using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Testing;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>
/// The listener hands the engine the worker's own failure, not the Functions host's report around it.
/// </summary>
public sealed class HostFailureTests
{
    [Fact]
    public void AHostReport_BecomesTheWorkersFailure_TypedFromRemoteTypeName()
    {
        var report = new RpcException("Failure", HostRpcText.WorkerMessage, "   at X.Y() in /_/src/X.cs:line 1",
            "Microsoft.Azure.Functions.Worker.FunctionInputConverterException");

        var description = FailureDescription.Of(HostFailure.Unwrap(report));

        Assert.Equal("Microsoft.Azure.Functions.Worker.FunctionInputConverterException", description.Type);
        Assert.Equal(HostRpcText.WorkerMessage, description.Message);
    }

    [Fact]
    public void AHostReportWithoutRemoteType_TakesTheTypeItsExceptionLineStartsWith()
    {
        var report = new Exception(
            "Result: Failure\n" +
            "Exception: System.InvalidOperationException: Order 'o-1' has no items.\n" +
            "Stack:    at A.B() in /_/src/A.cs:line 3");

        var description = FailureDescription.Of(HostFailure.Unwrap(report));

        Assert.Equal(
            new FailureDescription("System.InvalidOperationException", "Order 'o-1' has no items."), description);
    }

    [Fact]
    public void AHostReportCutBeforeTheStackMarker_StillLeavesNoFrameOrPath()
    {
        var cut = HostRpcText.HostText[..HostRpcText.HostText.IndexOf("--- End", StringComparison.Ordinal)];

        var description = FailureDescription.Of(HostFailure.Unwrap(new Exception(cut)));

        Assert.Equal(HostRpcText.WorkerMessage, description.Message);
        Assert.DoesNotContain("/_/", description.Message);
        Assert.DoesNotContain(":line ", description.Message);
    }

    [Fact]
    public void AnyOtherFailure_IsLeftAsItIs()
    {
        var failure = new InvalidOperationException("SMTP refused");

        Assert.Same(failure, HostFailure.Unwrap(failure));
    }

    /// <summary>Shaped like the host's Microsoft.Azure.WebJobs.Script.Workers.Rpc.RpcException (message format and
    /// RemoteTypeName), which this project cannot reference.</summary>
    private sealed class RpcException(string result, string message, string stack, string typeName)
        : Exception($"Result: {result}\nException: {message}\nStack: {stack}")
    {
        public string RemoteTypeName { get; } = typeName;
    }
}
