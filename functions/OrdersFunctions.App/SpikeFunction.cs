using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.RedisStreams.Worker;

namespace OrdersFunctions.App;

public sealed class SpikeFunction
{
    [Function(nameof(SpikeFunction))]
    public void Run([RedisStreamTrigger("RedisConnection", "%OrdersStream%", ConsumerGroup = "spike")] string payload)
    {
        _ = payload;
    }
}
