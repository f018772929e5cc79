namespace OrdersFunctions.Ops.Tests;

/// <summary>A dead letter as an older subscriber (or another writer) stored it: the Functions host's RpcException text
/// (azure-functions-host Workers/Rpc/RpcException.cs), stack frames and build paths included.</summary>
internal static class HostRpcDeadLetter
{
    internal const string WorkerMessage =
        "Error converting 1 input parameters for Function 'SendOrderNotification': Cannot convert input parameter 'order' to type 'OrdersFunctions.App.Orders.OrderPlaced' from type 'System.String'. Error:System.Text.Json.JsonException: The JSON value could not be converted to System.Collections.Generic.List`1[OrdersFunctions.App.Orders.OrderLine]. Path: $.items | LineNumber: 0 | BytePositionInLine: 60.";

    internal const string HostText =
        "Result: Failure\nException: " + WorkerMessage + "\n"
        + "   at System.Text.Json.ThrowHelper.ThrowJsonException_DeserializeUnableToConvertValue(Type propertyType)\n"
        + "   at System.Text.Json.Serialization.Converters.ListOfTConverter`2.OnTryRead(Utf8JsonReader& reader, Type typeToConvert, JsonSerializerOptions options, ReadStack& state, TCollection& value)\n"
        + "   at Microsoft.Azure.Functions.Worker.Context.Features.DefaultFunctionInputBindingFeature.BindFunctionInputAsync(FunctionContext context) in /_/src/DotNetWorker.Core/Context/Features/DefaultFunctionInputBindingFeature.cs:line 97\n"
        + "   at OrdersFunctions.App.DirectFunctionExecutor.ExecuteAsync(FunctionContext context) in /home/build/OrdersFunctions/functions/OrdersFunctions.App/obj/Debug/net10.0/Microsoft.Azure.Functions.Worker.Sdk.Generators/GeneratedFunctionExecutor.g.cs:line 34\n"
        + "--- End of stack trace from previous location ---\n"
        + "Stack:    at Microsoft.Azure.Functions.Worker.FunctionsApplication.InvokeFunctionAsync(FunctionContext context) in /_/src/DotNetWorker.Core/FunctionsApplication.cs:line 96";

    /// <summary>Adds such a dead letter to <paramref name="deadLetterStream"/>; returns its id.</summary>
    public static async Task<string> AddAsync(StackExchange.Redis.IDatabase database, string deadLetterStream, string stream, string group) =>
        (string)(await database.StreamAddAsync(deadLetterStream,
        [
            new("original_id", "1-1"), new("stream", stream), new("group", group), new("consumer", "c"), new("delivery_count", 3),
            new("error_type", "Microsoft.Azure.WebJobs.Script.Workers.Rpc.RpcException"), new("error_message", HostText),
            new("failed_at", "2026-12-02T13:00:00.000Z"), new("type", "OrderPlaced"), new("payload", "{\"orderId\":\"order-1\"}"),
        ]))!;
}
