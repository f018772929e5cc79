using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.App.Tests;

/// <summary>GET /api/ops/overview and GET /api/health through the local host, against real Redis.</summary>
[Collection(RedisCollection.Name)]
public sealed class OpsHttpTests(RedisServerFixture redis)
{
    private const string MasterKey = "ops-master-key";

    [Fact]
    public async Task Overview_AfterOrders_ReportsTheStreamItsGroupsAndConsumers_InTheContractShape()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        scenario.Settings["LocalHost__MasterKey"] = MasterKey;
        using var client = await scenario.StartHostAsync();
        // The master key opens Function-level routes too.
        client.DefaultRequestHeaders.Add("x-functions-key", MasterKey);
        for (var i = 1; i <= 3; i++)
            await AppScenario.PostOrderAsync(client, i);
        await scenario.WaitForHandledAsync(3);

        using var response = await client.GetAsync("/api/ops/overview");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = JsonDocument.Parse(body).RootElement;
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("generatedAt").GetString(), out _));
        var stream = Assert.Single(root.GetProperty("streams").EnumerateArray());
        Assert.Equal(scenario.Stream, stream.GetProperty("name").GetString());
        Assert.Equal(3, stream.GetProperty("length").GetInt64());
        Assert.NotNull(stream.GetProperty("firstId").GetString());
        Assert.NotNull(stream.GetProperty("lastId").GetString());
        Assert.True(stream.GetProperty("oldestEntryAgeSeconds").GetDouble() >= 0);
        var retention = stream.GetProperty("retention");
        // Every group is ahead of the 1 h window.
        Assert.Equal(JsonValueKind.Null, retention.GetProperty("heldBy").ValueKind);
        Assert.Equal(3600, retention.GetProperty("minAgeSeconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, retention.GetProperty("maxAgeSeconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, retention.GetProperty("maxLength").ValueKind);
        Assert.NotNull(retention.GetProperty("floorId").GetString());
        Assert.Equal(scenario.Stream + ":dead-letter", stream.GetProperty("deadLetterStream").GetString());
        Assert.Equal(0, stream.GetProperty("deadLetterLength").GetInt64());
        var groups = stream.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(new[] { scenario.NotificationsGroup, scenario.SpreadsheetsGroup }.Order(),
            groups.Select(g => g.GetProperty("name").GetString()).Order());
        foreach (var group in groups)
        {
            Assert.Equal(0, group.GetProperty("lag").GetInt64());
            Assert.Equal(0, group.GetProperty("pending").GetInt64());
            Assert.Equal(JsonValueKind.Null, group.GetProperty("oldestPendingAgeSeconds").ValueKind);
            Assert.Equal(0, group.GetProperty("deadLetters").GetInt64());
            Assert.Equal(stream.GetProperty("lastId").GetString(), group.GetProperty("lastDeliveredId").GetString());
            Assert.Equal(3, group.GetProperty("entriesRead").GetInt64());
            var consumer = Assert.Single(group.GetProperty("consumers").EnumerateArray());
            Assert.Equal("alive", consumer.GetProperty("state").GetString());
            Assert.Equal(0, consumer.GetProperty("pending").GetInt64());
            Assert.True(consumer.GetProperty("idleSeconds").GetDouble() >= 0);
            Assert.True(consumer.TryGetProperty("inactiveSeconds", out _));
            Assert.NotNull(consumer.GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task Overview_JudgesEachGroupsConsumers_ByTheOptionsItsTriggerRunsWith()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        scenario.Settings["RedisStreams__Functions__SendOrderNotification__ClaimMinIdle"] = "00:00:03";
        scenario.Settings["RedisStreams__Functions__SendOrderNotification__ConsumerIdleTimeout"] = "00:00:10";
        using var client = await scenario.StartHostAsync();
        await AppScenario.PostOrderAsync(client, 1);
        await scenario.WaitForHandledAsync(1);

        var root = await client.GetFromJsonAsync<JsonElement>("/api/ops/overview");

        var groups = root.GetProperty("streams")[0].GetProperty("groups").EnumerateArray()
            .ToDictionary(g => g.GetProperty("name").GetString()!, g => g.GetProperty("liveness"));
        // The trigger's own: ClaimMinIdle 3 s; "seen" recorded every 5 s (ConsumerIdleTimeout / 2), plus a sweep's
        // 0.1 s (the scenario's ClaimInterval) and a 5 s margin. The other group runs with the scenario's app-wide
        // settings: ClaimMinIdle 1 s, and the default ConsumerIdleTimeout's once a minute.
        Assert.Equal(3, groups[scenario.NotificationsGroup].GetProperty("claimMinIdleSeconds").GetDouble());
        Assert.Equal(10.1, groups[scenario.NotificationsGroup].GetProperty("seenWithinSeconds").GetDouble());
        Assert.Equal(1, groups[scenario.SpreadsheetsGroup].GetProperty("claimMinIdleSeconds").GetDouble());
        Assert.Equal(65.1, groups[scenario.SpreadsheetsGroup].GetProperty("seenWithinSeconds").GetDouble());
    }

    [Fact]
    public async Task Overview_ReadByManyViewersAtOnce_IsOneSharedSnapshot_ThatSaysHowOldItIs()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(_ => client.GetFromJsonAsync<JsonElement>("/api/ops/overview")));

        Assert.Single(answers.Select(a => a.GetProperty("generatedAt").GetString()).Distinct());
        Assert.All(answers, a => Assert.InRange(a.GetProperty("ageSeconds").GetDouble(), 0, 2));
    }

    [Fact]
    public async Task Overview_WithoutTheMasterKey_Is401()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        scenario.Settings["LocalHost__MasterKey"] = MasterKey;
        scenario.Settings["LocalHost__FunctionKey"] = "function-key";
        using var client = await scenario.StartHttpOnlyHostAsync();

        using var without = await client.GetAsync("/api/ops/overview");
        using var functionKey = await client.GetAsync("/api/ops/overview?code=function-key");

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, functionKey.StatusCode);
    }

    [Fact]
    public async Task Overview_RedisUnreachable_Is503ProblemWithRetryAfter()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        scenario.Settings["LocalHost__MasterKey"] = MasterKey;
        using var nothingThere = new RefusingPort();
        scenario.Settings["RedisConnection"] = $"127.0.0.1:{nothingThere.Port},connectTimeout=500,asyncTimeout=500";
        using var client = await scenario.StartHttpOnlyHostAsync();

        using var response = await GetWithKeyAsync(client, "/api/ops/overview");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Health_WithBothGroupsRunning_Is200Healthy_WithoutAKey()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHostAsync();
        await AppScenario.PostOrderAsync(client);
        await scenario.WaitForHandledAsync(1);

        using var response = await client.GetAsync("/api/health");

        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", root.GetProperty("status").GetString());
        var checks = root.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(3, checks.Count);
        Assert.All(checks, c => Assert.Equal("healthy", c.GetProperty("status").GetString()));
        Assert.Contains(checks,
            c => c.GetProperty("name").GetString() == $"group {scenario.Stream}/{scenario.NotificationsGroup}");
    }

    [Fact]
    public async Task Health_GroupMissing_Is503NamingThatGroup()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        // HTTP only: a running stream function would recreate its group at once (NOGROUP recovery).
        using var client = await scenario.StartHttpOnlyHostAsync();
        await scenario.Redis.StreamCreateConsumerGroupAsync(
            scenario.Stream, scenario.NotificationsGroup, "$", createStream: true);

        using var response = await client.GetAsync("/api/health");

        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", root.GetProperty("status").GetString());
        var failed = Assert.Single(root.GetProperty("checks").EnumerateArray(),
            c => c.GetProperty("status").GetString() == "unhealthy");
        Assert.Equal($"group {scenario.Stream}/{scenario.SpreadsheetsGroup}", failed.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Health_LagOverTheThreshold_Is503()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        scenario.Settings["Health__MaxLag"] = "1";
        using var client = await scenario.StartHttpOnlyHostAsync();
        await scenario.Redis.StreamCreateConsumerGroupAsync(
            scenario.Stream, scenario.NotificationsGroup, "0-0", createStream: true);
        await scenario.Redis.StreamCreateConsumerGroupAsync(
            scenario.Stream, scenario.SpreadsheetsGroup, "0-0", createStream: true);
        for (var i = 1; i <= 3; i++)
            await AppScenario.PostOrderAsync(client, i);

        using var response = await client.GetAsync("/api/health");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("lag 3 is over 1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_RedisUnreachable_Is503_WithoutInternals()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var nothingThere = new RefusingPort();
        scenario.Settings["RedisConnection"] = $"127.0.0.1:{nothingThere.Port},connectTimeout=500,asyncTimeout=500";
        using var client = await scenario.StartHttpOnlyHostAsync();

        using var response = await client.GetAsync("/api/health");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"name\":\"redis\",\"status\":\"unhealthy\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        Assert.DoesNotContain(nothingThere.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), body,
            StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_IsOnInTheApp_TrimsHandledOrders_AndTheirStatusStaysDone()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        // host.json turns retention on; a zero minimum age lets it act within the test.
        scenario.Settings["RedisStreams__RetentionMinAge"] = "00:00:00";
        scenario.Settings["RedisStreams__RetentionInterval"] = "00:00:00.100";
        using var client = await scenario.StartHostAsync();
        var orderId = await AppScenario.PostOrderAsync(client);
        await scenario.WaitForHandledAsync(1);

        await Eventually.HoldsAsync(async () => await scenario.StreamLengthAsync() == 0,
            "the handled order's entry trimmed",
            async () => $"length {await scenario.StreamLengthAsync()}");

        var status = await client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");
        Assert.All(new[] { scenario.NotificationsGroup, scenario.SpreadsheetsGroup },
            g => Assert.Equal("done", status.GetProperty("groups").GetProperty(g).GetProperty("state").GetString()));
    }

    private static Task<HttpResponseMessage> GetWithKeyAsync(HttpClient client, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-functions-key", MasterKey);
        return client.SendAsync(request);
    }
}
