using System.Text;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using Xunit;

namespace OrdersFunctions.RedisStreams.Testing.Contract;

/// <summary>
/// The consumer-group contract: the delivery guarantees of <c>docs/architecture.md</c> and <c>docs/engine.md</c>, as
/// scenarios that every adapter over the engine must pass against real Redis. The engine (single server and cluster)
/// and the Functions trigger (inside a WebJobs JobHost) each derive a class from this one and supply an
/// <see cref="IConsumerGroupAdapter"/>. The local host runs the engine's own subscriber; its end-to-end scenarios are
/// in OrdersFunctions.App.Tests.
/// <code>
/// [Collection(RedisCollection.Name)]   // a collection whose fixture is a RedisServerFixture
/// public sealed class EngineContractTests(RedisServerFixture redis) : ConsumerGroupContractTests(redis)
/// {
///     protected override Task&lt;IConsumerGroupAdapter&gt; CreateAdapterAsync(IRedisTestServer redis) =&gt;
///         Task.FromResult&lt;IConsumerGroupAdapter&gt;(new EngineAdapter(redis.ConnectionString));
/// }
/// </code>
/// Every scenario uses its own stream and group names (<see cref="TestNames"/>), so classes may share one Redis.
/// Group state is checked with raw Redis commands (<see cref="StreamInspector"/>), not through the adapter. An adapter
/// is created before each scenario and disposed after it, with every consumer it started (stopped if still running).
/// Waits poll until a condition holds or <see cref="Eventually.DefaultTimeout"/> passes; nothing asserts on timing.
/// </summary>
public abstract class ConsumerGroupContractTests : IAsyncLifetime
{
    private readonly List<IRunningConsumer> _consumers = [];
    private IConsumerGroupAdapter? _adapter;
    private StreamInspector? _inspector;

    protected ConsumerGroupContractTests(IRedisTestServer redis)
    {
        Redis = redis;
    }

    /// <summary>The Redis the scenarios run against.</summary>
    protected IRedisTestServer Redis { get; }

    /// <summary>The adapter for the current scenario.</summary>
    protected IConsumerGroupAdapter Adapter =>
        _adapter ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>Raw Redis group-state reader.</summary>
    protected StreamInspector Inspector =>
        _inspector ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>Creates the adapter under test for one scenario.</summary>
    protected abstract Task<IConsumerGroupAdapter> CreateAdapterAsync(IRedisTestServer redis);

    public async Task InitializeAsync()
    {
        _inspector = new StreamInspector(await Redis.GetConnectionAsync());
        _adapter = await CreateAdapterAsync(Redis);
    }

    public async Task DisposeAsync()
    {
        foreach (var consumer in _consumers)
            await consumer.DisposeAsync();
        if (_adapter is not null)
            await _adapter.DisposeAsync();
    }

    [Fact]
    public async Task FanOut_TwoGroups_EachGroupHandlesEveryEntryOnce()
    {
        var stream = TestNames.Stream();
        var (groupA, groupB) = (TestNames.Group("a"), TestNames.Group("b"));
        var (logA, logB) = (new MessageLog(), new MessageLog());
        await StartConsumerAsync(new ConsumerSpec(stream, groupA, TestNames.Consumer("a1")), logA.Record);
        await StartConsumerAsync(new ConsumerSpec(stream, groupB, TestNames.Consumer("b1")), logB.Record);

        var sent = await PublishManyAsync(stream, 50);

        await logA.WaitForAllAsync(sent, $"group {groupA}");
        await logB.WaitForAllAsync(sent, $"group {groupB}");
        await WaitUntilNothingPendingAsync(stream, groupA);
        await WaitUntilNothingPendingAsync(stream, groupB);
        Assert.All(logA.CountsByMessageId, kv => Assert.Equal(1, kv.Value));
        Assert.All(logB.CountsByMessageId, kv => Assert.Equal(1, kv.Value));
        Assert.Equal(sent.ToHashSet(), logA.MessageIds);
        Assert.Equal(sent.ToHashSet(), logB.MessageIds);
    }

    [Fact]
    public async Task Start_ConsumerIsAMemberOfItsGroupBeforeAnyEntryArrives()
    {
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        var (first, second) = (TestNames.Consumer("c1"), TestNames.Consumer("c2"));
        await StartConsumerAsync(new ConsumerSpec(stream, group, first), new MessageLog().Record);
        await StartConsumerAsync(new ConsumerSpec(stream, group, second), new MessageLog().Record);

        // Read at once, no waiting: once started, an instance must be visible to anyone sizing the group.
        var consumers = await Inspector.ConsumersAsync(stream, group);

        Assert.Equal(new[] { first, second }.Order(), consumers.Select(c => c.Name).Order());
    }

    [Fact]
    public async Task LoadSplit_ThreeConsumersOfOneGroup_EachEntryHandledOnceAndEveryConsumerGetsSome()
    {
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        var logs = new[] { new MessageLog(), new MessageLog(), new MessageLog() };
        var gate = new SplitGate(logs);
        for (var i = 0; i < logs.Length; i++)
        {
            var log = logs[i];
            // One entry at a time per consumer, held until every consumer has one: the split, not the timing, is
            // under test.
            var spec = new ConsumerSpec(stream, group, TestNames.Consumer($"c{i + 1}"))
            {
                BatchSize = 1,
                MaxConcurrency = 1,
            };
            await StartConsumerAsync(spec, (message, ct) => gate.PassAsync(log, message, ct));
        }

        var sent = await PublishManyAsync(stream, 90);

        await Eventually.HoldsAsync(
            () => sent.ToHashSet().IsSubsetOf(logs.SelectMany(l => l.MessageIds)),
            $"the three consumers of {group} together receive all {sent.Count} messages",
            () => $"received per consumer: {string.Join(", ", logs.Select(l => l.Count))}");
        await WaitUntilNothingPendingAsync(stream, group);
        var all = logs.SelectMany(l => l.All).ToList();
        Assert.Equal(sent.Count, all.Count);
        Assert.Equal(sent.ToHashSet(), all.Select(m => m.MessageId).ToHashSet());
        Assert.All(logs, log => Assert.NotEmpty(log.All));
    }

    [Fact]
    public async Task CatchUp_AllConsumersStopped_EntriesAddedMeanwhileAreHandledByTheNextConsumer()
    {
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        var before = new MessageLog();
        var first = await StartConsumerAsync(
            new ConsumerSpec(stream, group, TestNames.Consumer("first")), before.Record);
        var early = await PublishManyAsync(stream, 5);
        await before.WaitForAllAsync(early, "the first consumer");
        await WaitUntilNothingPendingAsync(stream, group);
        await first.StopAsync();

        var whileDown = await PublishManyAsync(stream, 10);
        var after = new MessageLog();
        await StartConsumerAsync(new ConsumerSpec(stream, group, TestNames.Consumer("second")), after.Record);

        await after.WaitForAllAsync(whileDown, "the consumer started after the outage");
        await WaitUntilNothingPendingAsync(stream, group);
        Assert.Equal(whileDown.ToHashSet(), after.MessageIds);
        Assert.Empty(before.MessageIds.Intersect(whileDown));
    }

    [Fact]
    public async Task Crash_KilledConsumersPendingEntries_AreClaimedAndHandledByAnotherConsumer()
    {
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        // Many deliveries allowed: the crash, not the delivery limit, is under test.
        var spec = new ConsumerSpec(stream, group, TestNames.Consumer("doomed"))
        {
            ClaimMinIdle = TimeSpan.FromMilliseconds(500),
            MaxDeliveries = 100,
        };
        var taken = new MessageLog();
        var doomed = await StartConsumerAsync(spec, async (message, ct) =>
        {
            taken.Add(message);
            await Task.Delay(Timeout.Infinite, ct); // never finishes: the entries stay pending on this consumer
        });
        var sent = await PublishManyAsync(stream, 5);
        await taken.WaitForAllAsync(sent, "the consumer about to crash");

        await doomed.KillAsync();

        var pendingOnDoomed = (await Inspector.PendingAsync(stream, group))
            .Where(p => p.ConsumerName == spec.Consumer)
            .ToList();
        Assert.Equal(sent.Count, pendingOnDoomed.Count);
        var survivor = new MessageLog();
        await StartConsumerAsync(spec with { Consumer = TestNames.Consumer("survivor") }, survivor.Record);
        await survivor.WaitForAllAsync(sent, "the surviving consumer");
        await WaitUntilNothingPendingAsync(stream, group);
        Assert.All(survivor.All, m =>
            Assert.True(m.DeliveryCount >= 2, $"claimed delivery {m.EntryId} has count {m.DeliveryCount}"));
    }

    [Fact]
    public async Task Retry_HandlerFailsTwice_ThirdDeliverySucceedsAndEntryIsAcknowledged()
    {
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        var spec = new ConsumerSpec(stream, group, TestNames.Consumer()) { MaxDeliveries = 5 };
        var deliveries = new MessageLog();
        var succeeded = new MessageLog();
        await StartConsumerAsync(spec, (message, _) =>
        {
            deliveries.Add(message);
            if (message.DeliveryCount < 3)
                throw new InvalidOperationException($"Simulated failure on delivery {message.DeliveryCount}");
            succeeded.Add(message);
            return Task.CompletedTask;
        });

        var sent = await PublishManyAsync(stream, 1);

        await succeeded.WaitForAllAsync(sent, "the handler succeeds on the third delivery");
        await WaitUntilNothingPendingAsync(stream, group);
        Assert.Equal([1, 2, 3], deliveries.All.Select(m => m.DeliveryCount).ToArray());
        Assert.Equal(0, await Inspector.LengthAsync(spec.EffectiveDeadLetterStream));
    }

    [Fact]
    public async Task
        Poison_EntryFailingEveryDelivery_IsDeadLetteredWithReasonAfterMaxDeliveries_AndEntriesBehindItAreHandled()
    {
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        var spec = new ConsumerSpec(stream, group, TestNames.Consumer()) { MaxDeliveries = 3 };
        var poisonAttempts = new MessageLog();
        var handled = new MessageLog();
        await StartConsumerAsync(spec, (message, _) =>
        {
            if (message.Type == "Poison")
            {
                poisonAttempts.Add(message);
                throw new InvalidOperationException($"poison pill {message.MessageId}");
            }
            handled.Add(message);
            return Task.CompletedTask;
        });

        var poison = ContractMessage.Create("Poison", 0);
        var poisonEntryId = await Adapter.PublishAsync(stream, poison, CancellationToken.None);
        var behind = await PublishManyAsync(stream, 10);

        await handled.WaitForAllAsync(behind, "the entries behind the poison entry");
        var deadLetters = await WaitForDeadLettersAsync(spec.EffectiveDeadLetterStream, 1);
        await WaitUntilNothingPendingAsync(stream, group);
        var dead = Assert.Single(deadLetters);
        Assert.Equal(poisonEntryId, dead.OriginalId);
        Assert.Equal(group, dead.Group);
        Assert.Equal(spec.Consumer, dead.Consumer);
        Assert.Equal(stream, dead.Fields.GetValueOrDefault(DeadLetterFieldNames.Stream));
        Assert.Equal(3, dead.DeliveryCount);
        Assert.Contains(nameof(InvalidOperationException), dead.ErrorType);
        Assert.Contains($"poison pill {poison.MessageId}", dead.ErrorMessage);
        Assert.Equal(poison.MessageId, dead.Fields.GetValueOrDefault(StreamEnvelope.MessageId));
        Assert.Equal("Poison", dead.Fields.GetValueOrDefault(StreamEnvelope.Type));
        Assert.Equal([1, 2, 3], poisonAttempts.All.Select(m => m.DeliveryCount).ToArray());
    }

    [Fact]
    public async Task GracefulShutdown_WithEntriesInFlight_AcksFinishedOnes_LeavesUnfinishedPending_KeepsTheConsumer()
    {
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        var spec = new ConsumerSpec(stream, group, TestNames.Consumer())
        {
            MaxConcurrency = 4,
            BatchSize = 4,
            ShutdownTimeout = TimeSpan.FromSeconds(8), // ample for the released handlers to finish on a busy machine
        };
        var started = new MessageLog();
        var finished = new MessageLog();
        var releaseQuick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = await StartConsumerAsync(spec, async (message, ct) =>
        {
            started.Add(message);
            if (message.Type == "Quick")
                await releaseQuick.Task; // finishes during shutdown
            else
                await Task.Delay(Timeout.Infinite, ct); // outlives the shutdown timeout, then is cancelled
            finished.Add(message);
        });
        var quick = new List<string>();
        var slow = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            quick.Add(await Adapter.PublishAsync(stream, ContractMessage.Create("Quick", i), CancellationToken.None));
            slow.Add(await Adapter.PublishAsync(stream, ContractMessage.Create("Slow", i), CancellationToken.None));
        }
        await started.WaitForCountAsync(4, "four handlers in flight");

        var stopping = consumer.StopAsync();
        releaseQuick.SetResult();
        await Eventually.WithinAsync(stopping, "the graceful stop completes after its shutdown timeout");

        var pending = await Inspector.PendingAsync(stream, group);
        Assert.Equal(slow.Order(), pending.Select(p => (string)p.MessageId!).Order());
        Assert.All(pending, p => Assert.Equal(spec.Consumer, (string?)p.ConsumerName));
        Assert.Equal(quick.Order(), finished.All.Select(m => m.EntryId).Order());
        var consumers = await Inspector.ConsumersAsync(stream, group);
        Assert.Contains(consumers, c => c.Name == spec.Consumer && c.PendingMessageCount == 2);
    }

    [Fact]
    public async Task Malformed_EntriesMissingEnvelopeFields_AreDeadLetteredWithReason_AndNeverReachTheHandler()
    {
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        var spec = new ConsumerSpec(stream, group, TestNames.Consumer());
        var handled = new MessageLog();
        await StartConsumerAsync(spec, handled.Record);

        var malformed = new Dictionary<string, string>
        {
            [await Inspector.AddRawAsync(stream, (StreamEnvelope.Type, "T"), (StreamEnvelope.Payload, "{}"))] =
                StreamEnvelope.MessageId,
            [await Inspector.AddRawAsync(
                    stream, (StreamEnvelope.MessageId, "m-no-type"), (StreamEnvelope.Payload, "{}"))] =
                StreamEnvelope.Type,
            [await Inspector.AddRawAsync(
                    stream, (StreamEnvelope.MessageId, "m-no-payload"), (StreamEnvelope.Type, "T"))] =
                StreamEnvelope.Payload,
            [await Inspector.AddRawAsync(stream, ("something", "else"))] = StreamEnvelope.MessageId,
        };
        var good = await PublishManyAsync(stream, 1);

        await handled.WaitForAllAsync(good, "the well-formed entry behind the malformed ones");
        var deadLetters = await WaitForDeadLettersAsync(spec.EffectiveDeadLetterStream, malformed.Count);
        await WaitUntilNothingPendingAsync(stream, group);
        Assert.Equal(malformed.Keys.Order(), deadLetters.Select(d => d.OriginalId).Order());
        foreach (var dead in deadLetters)
        {
            var missingField = malformed[dead.OriginalId!];
            Assert.Equal(DeadLetterFieldNames.MalformedEntryErrorType, dead.ErrorType);
            Assert.Contains(missingField, dead.ErrorMessage);
            Assert.Equal(group, dead.Group);
        }
        Assert.Equal(good.ToHashSet(), handled.MessageIds);
        Assert.DoesNotContain(handled.All, m => malformed.ContainsKey(m.EntryId));
    }

    /// <summary>Starts a consumer through the adapter and remembers it for disposal after the scenario.</summary>
    protected async Task<IRunningConsumer> StartConsumerAsync(
        ConsumerSpec spec, Func<ReceivedMessage, CancellationToken, Task> handler)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        var consumer = await Adapter.StartConsumerAsync(spec, handler, timeout.Token);
        _consumers.Add(consumer);
        return consumer;
    }

    /// <summary>Publishes <paramref name="count"/> messages of type <c>Test</c>; returns their message ids.</summary>
    protected async Task<IReadOnlyList<string>> PublishManyAsync(string stream, int count)
    {
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var message = ContractMessage.Create("Test", i);
            await Adapter.PublishAsync(stream, message, CancellationToken.None);
            ids.Add(message.MessageId);
        }
        return ids;
    }

    /// <summary>Waits until the group has no pending entry (everything delivered was acknowledged).</summary>
    protected Task WaitUntilNothingPendingAsync(string stream, string group) =>
        Eventually.HoldsAsync(
            async () => (await Inspector.PendingAsync(stream, group)).Count == 0,
            $"group {group} has no pending entries",
            () => Inspector.DescribeAsync(stream, group));

    /// <summary>Waits until <paramref name="deadLetterStream"/> holds at least <paramref name="count"/>
    /// entries.</summary>
    protected async Task<IReadOnlyList<DeadLetterEntry>> WaitForDeadLettersAsync(string deadLetterStream, int count)
    {
        await Eventually.HoldsAsync(
            async () => await Inspector.LengthAsync(deadLetterStream) >= count,
            $"{count} entries in {deadLetterStream}",
            async () => $"{await Inspector.LengthAsync(deadLetterStream)} entries");
        return await Inspector.DeadLettersAsync(deadLetterStream);
    }

    /// <summary>UTF-8 text of a payload, for assertions.</summary>
    protected static string Text(ReadOnlyMemory<byte> payload) => Encoding.UTF8.GetString(payload.Span);
}
