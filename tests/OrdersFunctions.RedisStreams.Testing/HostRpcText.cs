namespace OrdersFunctions.RedisStreams.Testing;

/// <summary>
/// The Functions host's RpcException message for a failed worker invocation (azure-functions-host
/// Workers/Rpc/RpcException.cs: "Result: {result}\nException: {message}\nStack: {stack}"), with the worker text
/// observed for an entry whose payload did not bind to OrderPlaced (docs/functions-host.md): stack frames and build
/// paths included. One copy for every test project (the unit tests link this file: they reference no test
/// infrastructure).
/// </summary>
public static class HostRpcText
{
    public const string WorkerMessage =
        "Error converting 1 input parameters for Function 'SendOrderNotification': "
        + "Cannot convert input parameter 'order' to type 'OrdersFunctions.App.Orders.OrderPlaced' "
        + "from type 'System.String'. Error:System.Text.Json.JsonException: "
        + "The JSON value could not be converted to "
        + "System.Collections.Generic.List`1[OrdersFunctions.App.Orders.OrderLine]. "
        + "Path: $.items | LineNumber: 0 | BytePositionInLine: 60.";

    public const string HostText =
        "Result: Failure\nException: " + WorkerMessage + "\n"
        + "   at System.Text.Json.ThrowHelper.ThrowJsonException_DeserializeUnableToConvertValue(Type propertyType)\n"
        + "   at System.Text.Json.Serialization.Converters.ListOfTConverter`2.OnTryRead(Utf8JsonReader& reader, "
        + "Type typeToConvert, JsonSerializerOptions options, ReadStack& state, TCollection& value)\n"
        + "   at Microsoft.Azure.Functions.Worker.Context.Features.DefaultFunctionInputBindingFeature"
        + ".BindFunctionInputAsync(FunctionContext context) in "
        + "/_/src/DotNetWorker.Core/Context/Features/DefaultFunctionInputBindingFeature.cs:line 97\n"
        + "   at OrdersFunctions.App.DirectFunctionExecutor.ExecuteAsync(FunctionContext context) in "
        + "/home/build/OrdersFunctions/functions/OrdersFunctions.App/obj/Debug/net10.0/"
        + "Microsoft.Azure.Functions.Worker.Sdk.Generators/GeneratedFunctionExecutor.g.cs:line 34\n"
        + "--- End of stack trace from previous location ---\n"
        + "Stack:    at Microsoft.Azure.Functions.Worker.FunctionsApplication.InvokeFunctionAsync"
        + "(FunctionContext context) in /_/src/DotNetWorker.Core/FunctionsApplication.cs:line 96";
}
