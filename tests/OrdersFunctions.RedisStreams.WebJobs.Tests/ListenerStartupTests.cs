using Microsoft.Extensions.Logging;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Contract;
using OrdersFunctions.RedisStreams.Testing.Servers;
using OrdersFunctions.RedisStreams.WebJobs.Tests.Hosting;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>A Functions host that starts while Redis is down: the listener must not hold the host's start-up hostage,
/// and the function consumes once Redis answers. The test owns its redis-server, to stop and start it.</summary>
public sealed class ListenerStartupTests
{
    [Fact]
    public async Task JobHostStartsWhileRedisIsDown_AndTheFunctionConsumesOnceRedisIsUp()
    {
        await using var server = await RedisServerProcess.StartAsync();
        await server.StopAsync(kill: true);
        var spec = new ConsumerSpec(TestNames.Stream(), TestNames.Group(), TestNames.Consumer());
        var log = new MessageLog();

        // Generous bound: before the fix each connect waited out a 75 s timeout; a hang fails here instead of the run.
        await using var host = await Eventually.WithinAsync(
            TriggerHost.StartAsync(HostSettings.For(server.EndPoint, spec), new ConsumeFunction(log.Record)),
            "the JobHost's start with Redis down", TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains("listens to stream", StringComparison.Ordinal));

        await server.RestartAsync(kill: true);
        await using var connections = new RedisConnectionFactory(server.EndPoint);
        var message = ContractMessage.Create("Test", 1);
        await new StreamPublisher(connections).PublishAsync(
            spec.Stream, new OutgoingMessage(message.Type, message.Payload) { MessageId = message.MessageId });

        await log.WaitForAllAsync(
            [message.MessageId], $"function {ConsumeFunction.Name} after Redis came up", TimeSpan.FromSeconds(60));
        Assert.Contains(host.Logs.Lines, l => l.Message.Contains("listens to stream", StringComparison.Ordinal));
        // Creating the missing group on a first start is normal, not a NOGROUP warning.
        Assert.DoesNotContain(host.Logs.Lines,
            l => l.Level >= LogLevel.Warning && l.Message.Contains("NOGROUP", StringComparison.Ordinal));
    }
}
