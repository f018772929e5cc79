using System.Text;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using OrdersFunctions.RedisStreams.WebJobs.Tests.Hosting;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>Batched functions (array parameters) in a real JobHost against real Redis.</summary>
[Collection(RedisCollection.Name)]
public sealed class BatchInJobHostTests(RedisServerFixture redis) : IAsyncLifetime
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
    public async Task
        BatchedFunction_GetsEveryEntryOnce_InBatchesOfAtMostMaxBatchSize_WithTheEntryIdsAndDeliveryCounts()
    {
        var (stream, group) = (TestNames.Stream(), TestNames.Group());
        var ids = await PublishOrdersAsync(stream, Enumerable.Range(0, 25).Select(i => $"o-{i}"));
        var function = new BatchedPocoFunction();

        _hosts.Add(await TriggerHost.StartAsync(Settings(stream, group), function));

        await Eventually.HoldsAsync(
            () => function.Received.Sum(r => r.Orders.Length) >= ids.Count, "every order handled");
        await WaitUntilNothingPendingAsync(stream, group);
        var received = function.Received.ToList();
        Assert.Equal(
            Enumerable.Range(0, 25).Select(i => $"o-{i}").Order(),
            received.SelectMany(r => r.Orders).Select(o => o.OrderId).Order());
        Assert.All(received, r => Assert.InRange(r.Orders.Length, 1, 10));
        Assert.Contains(received, r => r.Orders.Length > 1);
        Assert.Equal(ids.Order(), received.SelectMany(r => r.EntryIds).Order());
        Assert.All(received, r => Assert.Equal(r.Orders.Length, r.DeliveryCounts.Length));
        Assert.All(received.SelectMany(r => r.DeliveryCounts), d => Assert.Equal(1, d));
    }

    [Fact]
    public async Task PoisonEntryInABatch_IsDeadLetteredAlone_AndTheRestSucceedOnTheirRetry()
    {
        var (stream, group) = (TestNames.Stream(), TestNames.Group());
        var ids = await PublishOrdersAsync(stream, ["a", "b", "poison", "c", "d"]);
        var function = new BatchedPocoFunction();

        _hosts.Add(await TriggerHost.StartAsync(Settings(stream, group), function));

        var dead = Assert.Single(await WaitForDeadLettersAsync(stream + ":dead-letter", 1));
        await WaitUntilNothingPendingAsync(stream, group);
        Assert.Equal(ids[2], dead.OriginalId);
        Assert.Equal(3, dead.DeliveryCount);
        Assert.Contains("poison among 1 orders", dead.ErrorMessage);
        var received = function.Received.ToList();
        Assert.Equal(["a", "b", "c", "d"], received.SelectMany(r => r.Orders).Select(o => o.OrderId).Order());
        Assert.All(received, r => Assert.Equal([2], r.DeliveryCounts)); // failed in the batch once, then alone
    }

    [Fact]
    public async Task PayloadThatIsNotJsonOfTheElementType_IsDeadLetteredAlone_AndTheOthersSucceed()
    {
        var (stream, group) = (TestNames.Stream(), TestNames.Group());
        var good = await PublishOrdersAsync(stream, ["x"]);
        var bad = await new StreamPublisher(_connections!).PublishAsync(
            stream, new OutgoingMessage("OrderPlaced", Encoding.UTF8.GetBytes("not json")));
        good.AddRange(await PublishOrdersAsync(stream, ["y"]));
        var function = new BatchedPocoFunction();

        _hosts.Add(await TriggerHost.StartAsync(Settings(stream, group), function));

        var dead = Assert.Single(await WaitForDeadLettersAsync(stream + ":dead-letter", 1));
        await WaitUntilNothingPendingAsync(stream, group);
        Assert.Equal(bad, dead.OriginalId);
        Assert.Contains("not JSON of type SampleOrder", dead.ErrorMessage);
        Assert.Equal(["x", "y"], function.Received.SelectMany(r => r.Orders).Select(o => o.OrderId).Order());
    }

    [Fact]
    public async Task IsBatchedOnASingleEntryParameter_FailsIndexing_NamingTheFunctionAndTheFix()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = await TriggerHost.StartAsync(
                Settings(TestNames.Stream(), TestNames.Group()), new BatchedButNotAnArrayFunction());
        });
        var messages = new StringBuilder();
        for (var e = exception; e is not null; e = e.InnerException)
            messages.Append(e.Message).Append(" | ");

        Assert.Contains("IsBatched = true", messages.ToString());
        Assert.Contains("take an array", messages.ToString());
    }

    private Dictionary<string, string?> Settings(string stream, string group) => new()
    {
        ["RedisConnection"] = redis.ConnectionString,
        ["Stream"] = stream,
        ["Group"] = group,
    };

    private async Task<List<string>> PublishOrdersAsync(string stream, IEnumerable<string> orderIds)
    {
        var publisher = new StreamPublisher(_connections!);
        var ids = new List<string>();
        foreach (var orderId in orderIds)
        {
            var payload = Encoding.UTF8.GetBytes(
                $"{{\"orderId\":\"{orderId}\",\"customerEmail\":\"c@d.example\",\"total\":1}}");
            ids.Add(await publisher.PublishAsync(stream, new OutgoingMessage("OrderPlaced", payload)));
        }
        return ids;
    }

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
