using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrdersFunctions.App.Orders;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.App.Tests;

/// <summary>
/// The <c>/api/ops/dead-letters</c> functions through the local host, against real Redis: a notification that cannot be
/// written (a file stands where the outbox folder should be) dead-letters the order in <c>notifications</c> only.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class DeadLetterOpsTests(RedisServerFixture redis)
{
    private const string MasterKey = "test-master-key";

    [Fact]
    public async Task PoisonOrder_ReplayedAfterTheFix_IsDoneInItsGroup_AndTheOtherGroupAddsNoSecondRow()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        var (client, orderId) = await DeadLetterAnOrderAsync(scenario);
        var listed = await client.GetFromJsonAsync<JsonElement>(
            $"/api/ops/dead-letters?group={scenario.NotificationsGroup}");
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(orderId, item.GetProperty("orderId").GetString());
        Assert.Equal(0, item.GetProperty("replays").GetInt32());
        File.Delete(scenario.OutboxPath); // the fix

        using var replay = await client.PostAsync(
            $"/api/ops/dead-letters/{item.GetProperty("id").GetString()}/replay", null);

        var answer = await replay.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("replayed", answer.GetProperty("outcome").GetString());
        Assert.Equal(scenario.NotificationsGroup, answer.GetProperty("group").GetString());
        await WaitForStateAsync(client, orderId, scenario.NotificationsGroup, GroupState.Done);
        await scenario.WaitForHandledAsync(1);
        Assert.Equal([orderId], scenario.OutboxOrderIds());
        Assert.Equal([orderId], scenario.CsvOrderIds());
        Assert.Equal(GroupState.Done, await StateAsync(client, orderId, scenario.SpreadsheetsGroup));
    }

    [Fact]
    public async Task Discard_MakesTheOrderStatusDiscardedForThatGroup()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        var (client, orderId) = await DeadLetterAnOrderAsync(scenario);
        var id = await OnlyDeadLetterIdAsync(client);

        using var discard = await client.PostAsync($"/api/ops/dead-letters/{id}/discard", null);

        Assert.Equal(HttpStatusCode.OK, discard.StatusCode);
        Assert.Equal("discarded",
            (await discard.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        Assert.Equal(GroupState.Discarded, await StateAsync(client, orderId, scenario.NotificationsGroup));
        Assert.Equal(GroupState.Done, await StateAsync(client, orderId, scenario.SpreadsheetsGroup));
    }

    [Fact]
    public async Task SecondReplay_Is409ProblemDetails()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        var (client, _) = await DeadLetterAnOrderAsync(scenario);
        var id = await OnlyDeadLetterIdAsync(client);
        using var first = await client.PostAsync($"/api/ops/dead-letters/{id}/replay", null);

        using var second = await client.PostAsync($"/api/ops/dead-letters/{id}/replay", null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnknownId_Is404_BadLimit_Is400NamingIt_NoKey_Is401()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        scenario.Settings["LocalHost__MasterKey"] = MasterKey;
        using var anonymous = await scenario.StartHttpOnlyHostAsync();
        using var client = new HttpClient { BaseAddress = anonymous.BaseAddress };
        client.DefaultRequestHeaders.Add("x-functions-key", MasterKey);

        using var unknown = await client.PostAsync("/api/ops/dead-letters/1-1/replay", null);
        using var unknownGet = await client.GetAsync("/api/ops/dead-letters/1-1");
        using var badLimit = await client.GetAsync("/api/ops/dead-letters?limit=0");
        using var noKey = await anonymous.GetAsync("/api/ops/dead-letters");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknownGet.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        var problem = await badLimit.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _));
        Assert.Equal("The dead-letter request is not valid.", problem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
    }

    [Fact]
    public async Task CrossOriginBrowserPosts_Are403_WhileSameOriginAndNonBrowserPostsGoOn()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync(); // no master key: the admin routes need none
        var own = client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        HttpRequestMessage Post(string path, string? header = null, string? value = null)
        {
            var message = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
            };
            if (header is not null)
                message.Headers.Add(header, value);
            return message;
        }

        using var evilOrigin = await client.SendAsync(
            Post("/api/ops/dead-letters/1-1/replay", "Origin", "http://evil.example"));
        using var otherPort = await client.SendAsync(
            Post("/api/ops/dead-letters/discard", "Origin", "http://" + client.BaseAddress.Host + ":1"));
        using var crossSite = await client.SendAsync(
            Post("/api/ops/dead-letters/replay", "Sec-Fetch-Site", "cross-site"));
        using var sameSite = await client.SendAsync(
            Post("/api/ops/dead-letters/1-1/discard", "Sec-Fetch-Site", "same-site"));
        using var sameOrigin = await client.SendAsync(Post("/api/ops/dead-letters/1-1/replay", "Origin", own));
        using var noBrowser = await client.SendAsync(Post("/api/ops/dead-letters/1-1/discard"));

        Assert.All([evilOrigin, otherPort, crossSite, sameSite],
            r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal("application/problem+json", evilOrigin.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, sameOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noBrowser.StatusCode);
    }

    [Fact]
    public async Task BulkPosts_WithoutAJsonBody_Are415()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();

        using var noBody = await client.PostAsync("/api/ops/dead-letters/discard", null);
        using var formBody = await client.PostAsync("/api/ops/dead-letters/replay",
            new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"));
        using var jsonBody = await client.PostAsync("/api/ops/dead-letters/replay",
            new StringContent("{\"dryRun\": true}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, noBody.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, formBody.StatusCode);
        Assert.Equal(HttpStatusCode.OK, jsonBody.StatusCode);
    }

    [Fact]
    public async Task DeadLetterHoldingTheHostsRpcText_IsShownWithoutStackFramesOrPaths()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();
        var id = await HostRpcDeadLetter.AddAsync(
            scenario.Redis, scenario.Stream + ":dead-letter", scenario.Stream, scenario.NotificationsGroup);

        var listed = Assert.Single((await client.GetFromJsonAsync<JsonElement>("/api/ops/dead-letters"))
            .GetProperty("items").EnumerateArray());
        var shown = await client.GetFromJsonAsync<JsonElement>($"/api/ops/dead-letters/{id}");

        // Written by an earlier version that stored the host's report as it came: shown on one line, no frames, no
        // paths.
        foreach (var message in new[]
        {
            listed.GetProperty("errorMessage").GetString()!,
            shown.GetProperty("errorMessage").GetString()!,
        })
        {
            Assert.Contains(HostRpcText.WorkerMessage, message);
            Assert.DoesNotContain(" at ", message);
            Assert.DoesNotContain("/_/", message);
            Assert.DoesNotContain(":line ", message);
        }
    }

    [Fact]
    public async Task StreamWithABraceButNoHashTag_Is400NamingStream()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();

        using var single = await client.PostAsync("/api/ops/dead-letters/1-1/replay?stream=a%7Db", null);
        using var discard = await client.PostAsync("/api/ops/dead-letters/1-1/discard?stream=a%7Db", null);
        using var bulk = await client.PostAsJsonAsync("/api/ops/dead-letters/discard", new { stream = "a}b" });

        foreach (var answer in new[] { single, discard, bulk })
        {
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.True((await answer.Content.ReadFromJsonAsync<JsonElement>())
                .GetProperty("errors").TryGetProperty("stream", out _));
        }
    }

    [Fact]
    public async Task ReplayOfADeadLetterWithoutASourceStream_Is409SayingToDiscardIt()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();
        var id = (string)(await scenario.Redis.StreamAddAsync(scenario.Stream + ":dead-letter",
            [
                new("original_id", "1-1"), new("group", scenario.NotificationsGroup), new("error_type", "X"),
                new("error_message", "y"),
            ]))!;

        using var replay = await client.PostAsync($"/api/ops/dead-letters/{id}/replay", null);

        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Contains("discard",
            (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ReplayByFilter_DryRun_CountsWithoutReplaying()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        var (client, _) = await DeadLetterAnOrderAsync(scenario);

        using var dry = await client.PostAsJsonAsync(
            "/api/ops/dead-letters/replay", new { group = scenario.NotificationsGroup, dryRun = true });

        var answer = await dry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        Assert.Equal(1, answer.GetProperty("matched").GetInt32());
        Assert.True(answer.GetProperty("dryRun").GetBoolean());
        Assert.Single((await client.GetFromJsonAsync<JsonElement>("/api/ops/dead-letters"))
            .GetProperty("items").EnumerateArray());
    }

    /// <summary>Starts a host with the master key whose notifications fail (a file where the outbox folder goes),
    /// places one order, and waits until it is dead-lettered in notifications and done in spreadsheets.</summary>
    private static async Task<(HttpClient Client, string OrderId)> DeadLetterAnOrderAsync(AppScenario scenario)
    {
        scenario.Settings["LocalHost__MasterKey"] = MasterKey;
        await File.WriteAllTextAsync(scenario.OutboxPath, "not a folder");
        var client = await scenario.StartHostAsync();
        client.DefaultRequestHeaders.Add("x-functions-key", MasterKey);
        var orderId = await AppScenario.PostOrderAsync(client);
        await WaitForStateAsync(client, orderId, scenario.NotificationsGroup, GroupState.DeadLettered);
        await WaitForStateAsync(client, orderId, scenario.SpreadsheetsGroup, GroupState.Done);
        return (client, orderId);
    }

    private static async Task<string> OnlyDeadLetterIdAsync(HttpClient client)
    {
        var listed = await client.GetFromJsonAsync<JsonElement>("/api/ops/dead-letters");
        return Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("id").GetString()!;
    }

    private static async Task<string?> StateAsync(HttpClient client, string orderId, string group) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}"))
            .GetProperty("groups").GetProperty(group).GetProperty("state").GetString();

    private static async Task WaitForStateAsync(HttpClient client, string orderId, string group, string state)
    {
        string? seen = null;
        await Eventually.HoldsAsync(async () => (seen = await StateAsync(client, orderId, group)) == state,
            $"order {orderId} is {state} in {group}", () => Task.FromResult(seen ?? "nothing"));
    }
}
