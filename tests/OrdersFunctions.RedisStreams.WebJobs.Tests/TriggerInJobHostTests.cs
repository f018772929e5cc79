using System.Text;
using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.DependencyInjection;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Contract;
using OrdersFunctions.RedisStreams.Testing.Servers;
using OrdersFunctions.RedisStreams.WebJobs.Tests.Hosting;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>The host-side trigger inside a real WebJobs SDK JobHost against real Redis: the trigger scenarios that the
/// contract suite does not cover (several functions in one host, attribute-set options, POCO payloads, manual input,
/// logging), each on its own stream and groups.</summary>
[Collection(RedisCollection.Name)]
public sealed class TriggerInJobHostTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly List<TriggerHost> _hosts = [];
    private RedisConnectionFactory? _connections;
    private StreamInspector? _inspector;

    public async Task InitializeAsync()
    {
        _connections = new RedisConnectionFactory(redis.ConnectionString);
        _inspector = new StreamInspector(await redis.GetConnectionAsync());
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
            await host.DisposeAsync();
        if (_connections is not null)
            await _connections.DisposeAsync();
    }

    [Fact]
    public async Task TwoFunctionsInTwoGroups_InOneHost_EachGetsEveryEntryOnce()
    {
        var spec = new ConsumerSpec(TestNames.Stream(), TestNames.Group("a"), TestNames.Consumer());
        var secondGroup = TestNames.Group("b");
        var (first, second) = (new MessageLog(), new MessageLog());
        await StartHostAsync(HostSettings.For(redis.ConnectionString, spec, secondGroup),
            new ConsumeFunction(first.Record), new ConsumeInSecondGroupFunction(second.Record));

        var sent = await PublishManyAsync(spec.Stream, 30);

        await first.WaitForAllAsync(sent, $"function {ConsumeFunction.Name} in {spec.Group}");
        await second.WaitForAllAsync(sent, $"function {ConsumeInSecondGroupFunction.Name} in {secondGroup}");
        await WaitUntilNothingPendingAsync(spec.Stream, spec.Group);
        await WaitUntilNothingPendingAsync(spec.Stream, secondGroup);
        Assert.All(first.CountsByMessageId.Values, n => Assert.Equal(1, n));
        Assert.All(second.CountsByMessageId.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task TwoHostsInOneGroup_SplitTheEntries_WithNoDuplicates()
    {
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        var logs = new[] { new MessageLog(), new MessageLog() };
        var gate = new SplitGate(logs);
        foreach (var log in logs)
        {
            // One entry at a time per host, held until both hosts have one, so neither can take everything first.
            var spec = new ConsumerSpec(stream, group, TestNames.Consumer()) { BatchSize = 1, MaxConcurrency = 1 };
            await StartHostAsync(
                HostSettings.For(redis.ConnectionString, spec),
                new ConsumeFunction((m, ct) => gate.PassAsync(log, m, ct)));
        }

        var sent = await PublishManyAsync(stream, 60);

        await Eventually.HoldsAsync(
            () => sent.ToHashSet().IsSubsetOf(logs.SelectMany(l => l.MessageIds)),
            "the two hosts together handle every entry",
            () => $"handled per host: {string.Join(", ", logs.Select(l => l.Count))}");
        await WaitUntilNothingPendingAsync(stream, group);
        var all = logs.SelectMany(l => l.All).ToList();
        Assert.Equal(sent.Count, all.Count);
        Assert.Equal(sent.Count, all.Select(m => m.MessageId).Distinct().Count());
        Assert.All(logs, log => Assert.NotEmpty(log.All));
        Assert.Equal(2, all.Select(m => m.Consumer).Distinct().Count());
    }

    [Fact]
    public async Task ThrowingFunction_GetsTheEntryAgain_ThenItIsDeadLetteredWithTheFunctionsError()
    {
        var (stream, group) = (TestNames.Stream(), TestNames.Group());
        var function = new AlwaysFailingFunction();
        await StartHostAsync(Settings(stream, group), function);

        var entryId = await PublishAsync(stream, "Poison", "{\"n\":1}");

        var dead = await WaitForDeadLettersAsync(stream + ":dead-letter", 1);
        await WaitUntilNothingPendingAsync(stream, group);
        Assert.Equal([1, 2, 3], function.Deliveries.ToArray());
        var entry = Assert.Single(dead);
        Assert.Equal(entryId, entry.OriginalId);
        Assert.Equal(3, entry.DeliveryCount);
        Assert.Contains(nameof(InvalidOperationException), entry.ErrorType);
        Assert.Contains("cannot handle {\"n\":1}", entry.ErrorMessage);
    }

    [Fact]
    public async Task PocoParameter_ReceivesTheDeserialisedPayload_CaseInsensitively()
    {
        var (stream, group) = (TestNames.Stream(), TestNames.Group());
        var function = new PocoFunction();
        await StartHostAsync(Settings(stream, group), function);

        await PublishAsync(
            stream, "OrderPlaced", "{\"OrderId\":\"o-1\",\"customeremail\":\"a@b.example\",\"total\":25.0}");

        await Eventually.HoldsAsync(() => !function.Received.IsEmpty, "the POCO function is invoked");
        var (order, deliveryCount) = Assert.Single(function.Received);
        Assert.Equal(new SampleOrder("o-1", "a@b.example", 25.0m), order);
        Assert.Equal(1, deliveryCount);
    }

    [Fact]
    public async Task PayloadThatIsNotJsonOfThePocoType_IsDeadLetteredWithTheReason()
    {
        var (stream, group) = (TestNames.Stream(), TestNames.Group());
        var function = new PocoFunction();
        await StartHostAsync(Settings(stream, group), function);

        var bad = await PublishAsync(stream, "OrderPlaced", "not json at all");
        await PublishAsync(
            stream, "OrderPlaced", "{\"orderId\":\"o-2\",\"customerEmail\":\"c@d.example\",\"total\":1}");

        var dead = Assert.Single(await WaitForDeadLettersAsync(stream + ":dead-letter", 1));
        Assert.Equal(bad, dead.OriginalId);
        Assert.Equal(2, dead.DeliveryCount);
        Assert.Contains("not JSON of type SampleOrder", dead.ErrorMessage);
        await Eventually.HoldsAsync(
            () => function.Received.Any(r => r.Order.OrderId == "o-2"), "the entry behind the bad one is handled");
        await WaitUntilNothingPendingAsync(stream, group);
    }

    [Fact]
    public async Task ManualInvocationWithAString_BindsItAsThePayload()
    {
        var (stream, group) = (TestNames.Stream(), TestNames.Group());
        var function = new StringFunction();
        var host = await StartHostAsync(Settings(stream, group), function);
        var jobHost = host.Services.GetRequiredService<IJobHost>();

        // What the admin API (POST /admin/functions/{name} {"input": "..."}) does with its input string.
        await jobHost.CallAsync(
            nameof(StringFunction.ConsumeText),
            new Dictionary<string, object?> { ["payload"] = "{\"replayed\":true}" });

        var (payload, entryId) = Assert.Single(function.Received);
        Assert.Equal("{\"replayed\":true}", payload);
        Assert.Equal("", entryId);
    }

    [Fact]
    public async Task Invocation_LogsStreamGroupAsReason_AndEntryAsDetails_AndTheExtensionUsesTheTriggerCategory()
    {
        var spec = new ConsumerSpec(TestNames.Stream(), TestNames.Group(), TestNames.Consumer());
        var log = new MessageLog();
        var host = await StartHostAsync(
            HostSettings.For(redis.ConnectionString, spec), new ConsumeFunction(log.Record));

        var entryId = await PublishAsync(spec.Stream, "T", "{}");
        await log.WaitForCountAsync(1, "the function");

        var reason = $"Reason='New entry in stream {spec.Stream} for group {spec.Group}'";
        var details = $"Trigger Details: EntryId: {entryId}, MessageId: ";
        await Eventually.HoldsAsync(
            () => host.Logs.Lines.Any(l => l.Message.Contains(reason))
                && host.Logs.Lines.Any(l => l.Message.Contains(details)),
            $"invocation log lines with {reason} and {details}",
            () => string.Join(
                " / ", host.Logs.Lines.Where(l => l.Category.StartsWith("Function.")).Select(l => l.Message)));
        var ours = host.Logs.Lines
            .Where(l => l.Message.Contains(spec.Consumer) && l.Message.Contains(spec.Stream))
            .ToList();
        Assert.NotEmpty(ours);
        Assert.All(ours, l => Assert.StartsWith(RedisStreamsLogCategories.Trigger, l.Category));
    }

    [Fact]
    public async Task MissingConnectionSetting_FailsIndexing_NamingTheFunctionAndTheSetting()
    {
        var settings = Settings(TestNames.Stream(), TestNames.Group());
        settings.Remove("RedisConnection");

        var error = await IndexingErrorAsync(settings, new StringFunction());

        Assert.Contains(
            "App setting 'RedisConnection' for function 'ConsumeText' is missing or empty: " +
            "set it to a StackExchange.Redis connection string",
            error);
    }

    [Fact]
    public async Task UnresolvedKeyVaultReference_FailsIndexing_NamingTheSettingAndTheFix_NotTheValue()
    {
        var settings = Settings(TestNames.Stream(), TestNames.Group());
        settings["RedisConnection"] = "@Microsoft.KeyVault(SecretUri=https://orders-kv.vault.azure.net/secrets/redis/)";

        var error = await IndexingErrorAsync(settings, new StringFunction());

        Assert.Contains(
            "Function 'ConsumeText' cannot listen: App setting 'RedisConnection' is an unresolved Key Vault reference",
            error);
        Assert.DoesNotContain("orders-kv", error);
    }

    [Fact]
    public async Task MissingConsumerGroup_FailsIndexing_NamingTheFunction()
    {
        var error = await IndexingErrorAsync(Settings(TestNames.Stream(), TestNames.Group()), new NoGroupFunction());

        Assert.Contains(
            "Consumer group name is empty for function 'LacksGroup': " +
            "set ConsumerGroup on its RedisConsumerGroupTrigger",
            error);
    }

    [Fact]
    public async Task MissingGroupAndAnOutOfRangeOption_FailIndexing_ReportingBothAtOnce()
    {
        var error = await IndexingErrorAsync(
            Settings(TestNames.Stream(), TestNames.Group()), new NoGroupAndBadBatchFunction());

        Assert.Contains(
            "Consumer group name is empty for function 'LacksGroupAndBatch': " +
            "set ConsumerGroup on its RedisConsumerGroupTrigger",
            error);
        Assert.Contains("BatchSize is -1", error);
        Assert.DoesNotContain("Group is empty", error);
    }

    [Fact]
    public async Task ClaimMinIdleThatIsNoTimeSpan_FailsIndexing_NamingTheFunctionAndTheFormat()
    {
        var error = await IndexingErrorAsync(
            Settings(TestNames.Stream(), TestNames.Group()), new BadClaimIdleFunction());

        Assert.Contains("function 'BadClaimIdle'", error);
        Assert.Contains("ClaimMinIdle on the attribute is 'soon'", error);
    }

    [Fact]
    public async Task UnknownStartPosition_FailsIndexing_ListingTheAllowedValues()
    {
        var error = await IndexingErrorAsync(
            Settings(TestNames.Stream(), TestNames.Group()), new BadStartPositionFunction());

        Assert.Contains("function 'BadStart'", error);
        Assert.Contains("'Middle': it must be one of Beginning, NewEntriesOnly", error);
    }

    [Fact]
    public async Task OutOfRangeOptions_FailIndexing_WithTheEngineValidatorsMessagesPrefixedByTheFunction()
    {
        var settings = Settings(TestNames.Stream(), TestNames.Group());
        settings["RedisStreams:Functions:OutOfRange:MaxDeliveries"] = "0";

        var error = await IndexingErrorAsync(settings, new OutOfRangeFunction());

        Assert.Contains("The RedisConsumerGroupTrigger of function 'OutOfRange' has an invalid option:", error);
        Assert.Contains("BatchSize is -1", error);
        Assert.Contains("MaxDeliveries is 0", error);
    }

    private Dictionary<string, string?> Settings(string stream, string group) => new()
    {
        ["RedisConnection"] = redis.ConnectionString,
        ["Stream"] = stream,
        ["Group"] = group,
    };

    private async Task<TriggerHost> StartHostAsync(
        IReadOnlyDictionary<string, string?> settings, params object[] functions)
    {
        var host = await TriggerHost.StartAsync(settings, functions);
        _hosts.Add(host);
        return host;
    }

    /// <summary>A plain JobHost fails to start on an indexing error (the Functions host disables just that function);
    /// either way the message is ours. Returns the whole exception chain's messages.</summary>
    private static async Task<string> IndexingErrorAsync(IReadOnlyDictionary<string, string?> settings, object function)
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = await TriggerHost.StartAsync(settings, function);
        });
        var messages = new StringBuilder();
        for (var e = exception; e is not null; e = e.InnerException)
            messages.Append(e.Message).Append(" | ");
        return messages.ToString();
    }

    private async Task<List<string>> PublishManyAsync(string stream, int count)
    {
        var ids = new List<string>();
        var publisher = new StreamPublisher(_connections!);
        for (var i = 0; i < count; i++)
        {
            var message = ContractMessage.Create("Test", i);
            await publisher.PublishAsync(
                stream, new OutgoingMessage(message.Type, message.Payload) { MessageId = message.MessageId });
            ids.Add(message.MessageId);
        }
        return ids;
    }

    private Task<string> PublishAsync(string stream, string type, string payload) =>
        new StreamPublisher(_connections!).PublishAsync(
            stream, new OutgoingMessage(type, Encoding.UTF8.GetBytes(payload)));

    private Task WaitUntilNothingPendingAsync(string stream, string group) =>
        Eventually.HoldsAsync(
            async () => (await _inspector!.PendingAsync(stream, group)).Count == 0,
            $"nothing pending in {group}",
            async () => await _inspector!.DescribeAsync(stream, group));

    private async Task<IReadOnlyList<DeadLetterEntry>> WaitForDeadLettersAsync(string deadLetterStream, int count)
    {
        await Eventually.HoldsAsync(
            async () => await _inspector!.LengthAsync(deadLetterStream) >= count,
            $"{count} entries in {deadLetterStream}");
        return await _inspector!.DeadLettersAsync(deadLetterStream);
    }
}
