using System.Text;
using Microsoft.AspNetCore.Builder;
using OrdersFunctions.LocalHost;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.App.Tests;

/// <summary>Batched stream functions (<c>IsBatched = true</c>, array parameters) under the local host, against real
/// Redis: POCO arrays and <c>RedisStreamMessage[]</c>, the batch's binding data, and a poison
/// entry in a batch.</summary>
[Collection(RedisCollection.Name)]
public sealed class LocalHostBatchTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly List<WebApplication> _hosts = [];
    private readonly string _stream = TestNames.Stream();
    private readonly string _itemsGroup = TestNames.Group("items");
    private readonly string _messagesGroup = TestNames.Group("messages");
    private RedisConnectionFactory? _connections;

    public Task InitializeAsync()
    {
        _connections = new RedisConnectionFactory(redis.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
        if (_connections is not null)
            await _connections.DisposeAsync();
    }

    [Fact]
    public async Task BatchedFunctions_GetEveryEntryOnce_InBatchesOfAtMostMaxBatchSize_WithPerEntryBindingData()
    {
        var ids = Enumerable.Range(0, 25).Select(i => $"item-{i}").ToList();
        var entryIds = await PublishAsync(ids); // before the host starts: the first read returns all of them

        await StartHostAsync();

        var itemCalls = await WaitForAsync("items", ids.Count);
        Assert.Equal(ids.Order(), itemCalls.SelectMany(c => c.Ids).Order());
        Assert.All(itemCalls, c => Assert.InRange(c.Ids.Length, 1, 10));
        Assert.Contains(itemCalls, c => c.Ids.Length > 1);
        Assert.Equal(entryIds.Order(), itemCalls.SelectMany(c => c.EntryIds).Order());
        Assert.All(itemCalls, c => Assert.All(c.DeliveryCounts, d => Assert.Equal(1, d)));
        var messageCalls = await WaitForAsync("messages", ids.Count);
        Assert.Equal(ids.Order(), messageCalls.SelectMany(c => c.Ids).Order());
        Assert.Equal(entryIds.Order(), messageCalls.SelectMany(c => c.EntryIds).Order());
        await NothingPendingAsync(_itemsGroup);
        await NothingPendingAsync(_messagesGroup);
    }

    [Fact]
    public async Task PoisonEntryInABatch_IsDeadLetteredAlone_AndTheOthersSucceedOnTheirOwnRetry()
    {
        var good = Enumerable.Range(0, 6).Select(i => $"ok-{i}").ToList();
        var entryIds = await PublishAsync([.. good[..3], "poison", .. good[3..]]);

        await StartHostAsync();

        var calls = await WaitForAsync("items", good.Count);
        await NothingPendingAsync(_itemsGroup);
        Assert.Equal(good.Order(), calls.SelectMany(c => c.Ids).Order());
        Assert.All(calls, c => Assert.Equal([2], c.DeliveryCounts)); // the batch failed once, then each alone
        var dead = (await (await DbAsync()).StreamRangeAsync(_stream + ":dead-letter"))
            .Select(DeadLetterEntry.From)
            .ToList();
        var poison = Assert.Single(dead);
        Assert.Equal(entryIds[3], poison.OriginalId);
        Assert.Equal(_itemsGroup, poison.Group);
        Assert.Equal(3, poison.DeliveryCount);
        Assert.Contains("poison among 1 items", poison.ErrorMessage);
    }

    private async Task<IDatabase> DbAsync() =>
        (await _connections!.GetSharedAsync(CancellationToken.None)).GetDatabase();

    private async Task<List<string>> PublishAsync(IEnumerable<string> ids)
    {
        var publisher = new StreamPublisher(_connections!);
        var entryIds = new List<string>();
        var n = 0;
        foreach (var id in ids)
            entryIds.Add(await publisher.PublishAsync(
                _stream, new OutgoingMessage("Item", Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\",\"n\":{n++}}}"))));
        return entryIds;
    }

    private async Task StartHostAsync()
    {
        var host = LocalFunctionsHost.Build(new LocalHostOptions
        {
            AppAssembly = typeof(BatchedTestFunctions).Assembly,
            Port = 0,
            UseEnvironmentVariables = false,
            Settings = new Dictionary<string, string?>
            {
                ["RedisConnection"] = redis.ConnectionString,
                ["BatchStream"] = _stream,
                ["ItemsGroup"] = _itemsGroup,
                ["MessagesGroup"] = _messagesGroup,
                ["RedisStreams:BlockTimeout"] = "00:00:00.200",
                ["RedisStreams:ClaimInterval"] = "00:00:00.100",
                ["RedisStreams:RetryBackoffInitial"] = "00:00:00.050",
                ["RedisStreams:RetryBackoffMax"] = "00:00:00.200",
                ["RedisStreams:MaxDeliveries"] = "3",
                ["Logging:LogLevel:Default"] = "Warning",
            },
        });
        await host.StartAsync();
        _hosts.Add(host);
    }

    private async Task<List<BatchedTestFunctions.Invocation>> WaitForAsync(string function, int entries)
    {
        List<BatchedTestFunctions.Invocation> Calls() =>
            BatchedTestFunctions.Invocations.GetValueOrDefault(_stream)?.Where(c => c.Function == function).ToList()
            ?? [];
        await Eventually.HoldsAsync(() => Calls().Sum(c => c.Ids.Length) >= entries,
            $"{entries} entries handled by the {function} function",
            () => $"{Calls().Sum(c => c.Ids.Length)} handled");
        return Calls();
    }

    private async Task NothingPendingAsync(string group) =>
        await Eventually.HoldsAsync(
            async () => (await (await DbAsync()).StreamPendingAsync(_stream, group)).PendingMessageCount == 0,
            $"nothing pending in {group}");
}
