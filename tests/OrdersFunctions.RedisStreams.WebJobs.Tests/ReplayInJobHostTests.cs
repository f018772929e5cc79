using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Contract;
using OrdersFunctions.RedisStreams.Testing.Servers;
using OrdersFunctions.RedisStreams.WebJobs.Tests.Hosting;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>A replayed dead letter inside a real WebJobs JobHost: the host-side trigger runs the engine's subscriber,
/// so only the function of the group that gave up is invoked again.</summary>
[Collection(RedisCollection.Name)]
public sealed class ReplayInJobHostTests(RedisServerFixture redis)
{
    [Fact]
    public async Task ReplayedDeadLetter_IsInvokedOnlyForTheTargetGroupsFunction()
    {
        // One delivery allowed: the first failure dead-letters the entry.
        var spec = new ConsumerSpec(TestNames.Stream(), TestNames.Group("failing"), TestNames.Consumer())
        {
            MaxDeliveries = 1,
        };
        var otherGroup = TestNames.Group("other");
        var (failingRuns, otherRuns) = (new MessageLog(), new MessageLog());
        var failing = true;
        await using var host = await TriggerHost.StartAsync(HostSettings.For(redis.ConnectionString, spec, otherGroup),
        [
            new ConsumeFunction((m, _) =>
            {
                failingRuns.Add(m);
                return Volatile.Read(ref failing) ? throw new InvalidOperationException("down") : Task.CompletedTask;
            }),
            new ConsumeInSecondGroupFunction(otherRuns.Record),
        ]);
        await using var connections = new RedisConnectionFactory(redis.ConnectionString);
        var message = ContractMessage.Create("Test", 1);
        await new StreamPublisher(connections).PublishAsync(
            spec.Stream, new OutgoingMessage(message.Type, message.Payload) { MessageId = message.MessageId });
        var store = new DeadLetterStore(connections);
        var query = new DeadLetterQuery { DeadLetterStream = spec.Stream + ":dead-letter", Group = spec.Group };
        DeadLetterPage page = new([], null);
        await Eventually.HoldsAsync(
            async () => (page = await store.ListAsync(query)).Items.Count == 1,
            "the entry is dead-lettered in the failing group");
        await otherRuns.WaitForAllAsync([message.MessageId], "the other group's function");
        Volatile.Write(ref failing, false);

        var result = await store.ReplayAsync(query.DeadLetterStream, page.Items[0].Id);

        Assert.Equal(DeadLetterActionStatus.Replayed, result.Status);
        await Eventually.HoldsAsync(
            () => failingRuns.Count == 2, "the failing group's function is invoked for the replay");
        var inspector = new StreamGroupInspector(connections);
        await Eventually.HoldsAsync(
            async () => await inspector.GetGroupAsync(spec.Stream, otherGroup) is { Pending: 0, Lag: 0 },
            "the other group has read and acknowledged the replay");
        Assert.Equal(1, otherRuns.Count);
        Assert.Equal(message.MessageId, failingRuns.All[1].MessageId);
    }
}
