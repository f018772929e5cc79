using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrdersFunctions.App.Orders;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.App.Tests;

/// <summary>
/// Orders over real HTTP through the local host into real Redis and out to the CSV file and the outbox.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class OrderFlowTests(RedisServerFixture redis)
{
    [Fact]
    public async Task HundredOrders_GiveHundredCsvRowsAndHundredNotifications()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHostAsync();

        var posted = new List<string>();
        for (var i = 0; i < 100; i++)
            posted.Add(await AppScenario.PostOrderAsync(client, i));
        await scenario.WaitForHandledAsync(100);

        Assert.Equal(posted.Order(), scenario.CsvOrderIds().Order());
        Assert.Equal(posted.Order(), scenario.OutboxOrderIds().Order());
    }

    [Fact]
    public async Task TwoLocalHosts_StillGiveExactlyHundredOfEach()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var first = await scenario.StartHostAsync();
        using var second = await scenario.StartHostAsync();

        var posted = await Task.WhenAll(Enumerable.Range(0, 100)
            .Select(i => AppScenario.PostOrderAsync(i % 2 == 0 ? first : second, i)));
        await scenario.WaitForHandledAsync(100);

        Assert.Equal(posted.Order(), scenario.CsvOrderIds().Order());
        Assert.Equal(posted.Order(), scenario.OutboxOrderIds().Order());
        var consumers = await scenario.Redis.StreamConsumerInfoAsync(scenario.Stream, scenario.SpreadsheetsGroup);
        Assert.Equal(2, consumers.Length); // both instances joined the group before the first order was posted
    }

    [Fact]
    public async Task OrdersPostedWhileStreamFunctionsAreStopped_AreHandledAfterTheyStart()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var httpOnly = await scenario.StartHttpOnlyHostAsync();
        var posted = new List<string>();
        for (var i = 0; i < 10; i++)
            posted.Add(await AppScenario.PostOrderAsync(httpOnly, i));
        Assert.Equal(10, await scenario.StreamLengthAsync());
        Assert.Empty(scenario.CsvOrderIds());

        using var withStreamFunctions = await scenario.StartHostAsync();
        await scenario.WaitForHandledAsync(10);

        Assert.Equal(posted.Order(), scenario.CsvOrderIds().Order());
        Assert.Equal(posted.Order(), scenario.OutboxOrderIds().Order());
    }

    [Fact]
    public async Task PoisonEntry_IsDeadLetteredInBothGroups_AndStatusSaysSo_WhileLaterOrdersAreHandled()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHostAsync();

        // A well-formed envelope whose payload is not an OrderPlaced: deserialisation fails on every delivery.
        var poisonId = OrderIntake.NewOrderId();
        var entryId = (string)(await scenario.Redis.StreamAddAsync(scenario.Stream,
        [
            new NameValueEntry(StreamEnvelope.MessageId, poisonId),
            new NameValueEntry(StreamEnvelope.Type, OrderPlaced.MessageType),
            new NameValueEntry(StreamEnvelope.Payload, "{\"orderId\": [not json"),
        ]))!;
        await scenario.Redis.StringSetAsync(OrderKeys.OrderIndex(scenario.Stream, poisonId), entryId);
        var good = await AppScenario.PostOrderAsync(client);

        JsonElement status = default;
        await Eventually.HoldsAsync(async () =>
            {
                status = await client.GetFromJsonAsync<JsonElement>($"/api/orders/{poisonId}");
                return new[] { scenario.NotificationsGroup, scenario.SpreadsheetsGroup }
                    .All(g => status.GetProperty("groups").GetProperty(g).GetProperty("state").GetString()
                        == GroupState.DeadLettered);
            },
            "the poison entry dead-lettered in both groups",
            () => Task.FromResult(status.ToString()));

        Assert.Equal(entryId, status.GetProperty("streamEntryId").GetString());
        await scenario.WaitForHandledAsync(1);
        Assert.Equal([good], scenario.CsvOrderIds());
        Assert.Equal(2, await scenario.Redis.StreamLengthAsync(scenario.Stream + ":dead-letter"));
    }

    [Fact]
    public async Task OrderStatus_OfAHandledOrder_IsDoneInBothGroups()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHostAsync();
        var orderId = await AppScenario.PostOrderAsync(client);
        await scenario.WaitForHandledAsync(1);

        var status = await client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");

        Assert.Equal(orderId, status.GetProperty("orderId").GetString());
        Assert.Equal(GroupState.Done,
            status.GetProperty("groups").GetProperty(scenario.NotificationsGroup).GetProperty("state").GetString());
        Assert.Equal(GroupState.Done,
            status.GetProperty("groups").GetProperty(scenario.SpreadsheetsGroup).GetProperty("state").GetString());
    }

    [Fact]
    public async Task OrderStatus_WhileNoConsumerRuns_IsWaiting()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();
        var orderId = await AppScenario.PostOrderAsync(client);

        var status = await client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");

        Assert.Equal(GroupState.Waiting,
            status.GetProperty("groups").GetProperty(scenario.NotificationsGroup).GetProperty("state").GetString());
    }

    [Fact]
    public async Task OrderStatus_OfAnUnknownOrder_Is404ProblemDetails()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();

        using var response = await client.GetAsync($"/api/orders/{OrderIntake.NewOrderId()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
