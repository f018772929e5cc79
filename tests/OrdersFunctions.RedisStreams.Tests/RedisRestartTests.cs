using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Contract;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>A Redis crash and restart (append-only file on, <c>appendfsync always</c>) in the middle of a stream: every
/// entry whose XADD succeeded is handled, before or after the restart. The fixture owns its server, so this class
/// runs beside the shared-server collection without disturbing it.</summary>
public sealed class RedisRestartTests(RestartableRedisServerFixture redis)
    : IClassFixture<RestartableRedisServerFixture>
{
    [Fact]
    public async Task Subscriber_RedisKilledAndRestartedMidStream_LosesNothingThatWasPublished()
    {
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        await using var adapter = new EngineAdapter(redis.ConnectionString);
        var log = new MessageLog();
        await using var consumer = await adapter.StartConsumerAsync(
            new ConsumerSpec(stream, group, TestNames.Consumer()), log.Record, CancellationToken.None);
        var published = new List<string>();
        published.AddRange(await adapter.PublishManyAsync(stream, 50));
        await log.WaitForAllAsync(published, "the subscriber before the restart");
        published.AddRange(await adapter.PublishManyAsync(stream, 50)); // some of these are likely still unhandled

        await redis.RestartAsync(kill: true);

        published.AddRange(await PublishWithRetryAsync(adapter, stream, 50));
        await log.WaitForAllAsync(published, "the subscriber across the restart");
        Assert.Equal(published.ToHashSet(), log.MessageIds);
        await Eventually.HoldsAsync(
            async () =>
                (await new StreamInspector(await redis.GetConnectionAsync()).PendingAsync(stream, group)).Count == 0,
            "nothing left pending after the restart");
    }

    /// <summary>Publishes, retrying each message while the connection comes back (a failed XADD is not
    /// "published").</summary>
    private static async Task<List<string>> PublishWithRetryAsync(EngineAdapter adapter, string stream, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var message = ContractMessage.Create("T", i);
            await Eventually.HoldsAsync(async () =>
            {
                try
                {
                    using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await adapter.PublishAsync(stream, message, attempt.Token);
                    return true;
                }
                catch (Exception ex) when (ex is StackExchange.Redis.RedisException
                                               or OperationCanceledException
                                               or TimeoutException)
                {
                    return false;
                }
            }, $"publishing message {i} after the restart");
            ids.Add(message.MessageId);
        }
        return ids;
    }
}
