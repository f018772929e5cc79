namespace OrdersFunctions.RedisStreams.Testing;

/// <summary>A dead letter as an older subscriber (or another writer) stored it: <see cref="HostRpcText.HostText"/> as
/// its error message.</summary>
public static class HostRpcDeadLetter
{
    /// <summary>Adds such a dead letter to <paramref name="deadLetterStream"/>; returns its id.</summary>
    public static async Task<string> AddAsync(
        StackExchange.Redis.IDatabase database,
        string deadLetterStream,
        string stream,
        string group) =>
        (string)(await database.StreamAddAsync(deadLetterStream,
        [
            new("original_id", "1-1"), new("stream", stream), new("group", group), new("consumer", "c"),
            new("delivery_count", 3),
            new("error_type", "Microsoft.Azure.WebJobs.Script.Workers.Rpc.RpcException"),
            new("error_message", HostRpcText.HostText),
            new("failed_at", "2026-12-02T13:00:00.000Z"), new("type", "OrderPlaced"),
            new("payload", "{\"orderId\":\"order-1\"}"),
        ]))!;
}
