namespace OrdersFunctions.RedisStreams.UnitTests;

/// <summary><see cref="FailureDescription"/> turns what a handler threw into text that clients may see: the worker's own
/// exception, no stack frames, no paths, capped.</summary>
public sealed class FailureDescriptionTests
{
    // The Functions host's RpcException message (azure-functions-host Workers/Rpc/RpcException.cs:
    // "Result: {result}\nException: {message}\nStack: {stack}"), with the worker text observed for an entry whose
    // payload did not bind to OrderPlaced (FUNCTIONS-HOST-FACTS.md).
    private const string WorkerMessage =
        "Error converting 1 input parameters for Function 'SendOrderNotification': Cannot convert input parameter 'order' to type 'OrdersFunctions.App.Orders.OrderPlaced' from type 'System.String'. Error:System.Text.Json.JsonException: The JSON value could not be converted to System.Collections.Generic.List`1[OrdersFunctions.App.Orders.OrderLine]. Path: $.items | LineNumber: 0 | BytePositionInLine: 60.";

    private const string HostText =
        "Result: Failure\nException: " + WorkerMessage + "\n"
        + "   at System.Text.Json.ThrowHelper.ThrowJsonException_DeserializeUnableToConvertValue(Type propertyType)\n"
        + "   at System.Text.Json.Serialization.Converters.ListOfTConverter`2.OnTryRead(Utf8JsonReader& reader, Type typeToConvert, JsonSerializerOptions options, ReadStack& state, TCollection& value)\n"
        + "   at Microsoft.Azure.Functions.Worker.Context.Features.DefaultFunctionInputBindingFeature.BindFunctionInputAsync(FunctionContext context) in /_/src/DotNetWorker.Core/Context/Features/DefaultFunctionInputBindingFeature.cs:line 97\n"
        + "   at OrdersFunctions.App.DirectFunctionExecutor.ExecuteAsync(FunctionContext context) in /home/build/OrdersFunctions/functions/OrdersFunctions.App/obj/Debug/net10.0/Microsoft.Azure.Functions.Worker.Sdk.Generators/GeneratedFunctionExecutor.g.cs:line 34\n"
        + "--- End of stack trace from previous location ---\n"
        + "Stack:    at Microsoft.Azure.Functions.Worker.FunctionsApplication.InvokeFunctionAsync(FunctionContext context) in /_/src/DotNetWorker.Core/FunctionsApplication.cs:line 96";

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
