using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using Xunit.Abstractions;

namespace OrdersFunctions.App.Tests;

/// <summary>
/// While Redis cannot be used, every route that needs it answers 503 at once (with <c>Retry-After</c>, health
/// without), naming the problem and the setting, never its value: after Redis is killed, on the very first request
/// after a start with Redis down, and with a server that accepts connections and never answers. The bound is generous
/// (1 s; the answers take milliseconds): what it must catch is a wait on StackExchange.Redis's 5 s connect or backlog
/// timeout. The very first request of a fresh process also pays for compiling the HTTP pipeline (about a second on a
/// loaded machine), so it gets 3 s, still below the 5 s wait it must not make; the others first send a request that
/// needs no Redis (a 400) to warm the pipeline. Figures go to the test output.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisUnavailableTests(RedisServerFixture redis, ITestOutputHelper output)
{
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FirstRequestAtOnce = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan HostStarts = TimeSpan.FromSeconds(30);
    private const string Unreachable = "Nothing accepts connections at the address in app setting 'RedisConnection'";
    private const string AnyOrderId = "0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task RedisKilled_EveryRouteThatNeedsIt_Answers503AtOnce_NamingTheProblem()
    {
        await using var server = await RedisServerProcess.StartAsync();
        await using var scenario = new AppScenario(redis.ConnectionString);
        scenario.Settings["RedisConnection"] = server.EndPoint;
        using var client = await scenario.StartHttpOnlyHostAsync();
        var orderId = await AppScenario.PostOrderAsync(client); // every route warm, the connection up

        await server.StopAsync(kill: true);
        await Eventually.HoldsAsync(
            async () => (await client.GetAsync("/api/health")).StatusCode == HttpStatusCode.ServiceUnavailable,
            "the app to notice that Redis is gone");

        foreach (var (method, path) in RoutesThatNeedRedis(orderId))
            await AssertRefusedAtOnceAsync(client, method, path, Unreachable);
        await AssertHealthUnhealthyAtOnceAsync(client, Unreachable);
    }

    [Fact]
    public async Task FirstRequestAfterAStartWithRedisDown_Is503AtOnce()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var nothingThere = new RefusingPort();
        scenario.Settings["RedisConnection"] = $"127.0.0.1:{nothingThere.Port}";
        using var client = await Eventually.WithinAsync(
            scenario.StartHttpOnlyHostAsync(), "the host's start", HostStarts);

        await AssertRefusedAtOnceAsync(client, HttpMethod.Post, "/api/orders", Unreachable, FirstRequestAtOnce);
    }

    [Fact]
    public async Task FirstHealthProbeAfterAStartWithRedisDown_AnswersAtOnce()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var nothingThere = new RefusingPort();
        scenario.Settings["RedisConnection"] = $"127.0.0.1:{nothingThere.Port}";
        using var client = await Eventually.WithinAsync(
            scenario.StartHttpOnlyHostAsync(), "the host's start", HostStarts);

        await AssertHealthUnhealthyAtOnceAsync(client, Unreachable, FirstRequestAtOnce);
    }

    [Fact]
    public async Task ServerThatNeverAnswers_EveryRouteAndHealth_AnswerAtOnce()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var silent = ScriptedPort.Silent();
        scenario.Settings["RedisConnection"] = silent.EndPoint;
        using var client = await Eventually.WithinAsync(
            scenario.StartHttpOnlyHostAsync(), "the host's start", HostStarts);
        await WarmAsync(client);

        foreach (var (method, path) in RoutesThatNeedRedis(AnyOrderId))
            await AssertRefusedAtOnceAsync(client, method, path, expectedDetail: "app setting 'RedisConnection'");
        await AssertHealthUnhealthyAtOnceAsync(client, "app setting 'RedisConnection'");
    }

    [Theory]
    [InlineData("a=b",
        "App setting 'RedisConnection' is not a StackExchange.Redis connection string (option 'a' is unknown)")]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://orders-kv.vault.azure.net/secrets/redis-connection-string)",
        "App setting 'RedisConnection' is an unresolved Key Vault reference")]
    public async Task UnusableSetting_TheAppStarts_AndNamesItIn503AndHealth(string value, string expected)
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        scenario.Settings["RedisConnection"] = value;
        using var client = await scenario.StartHttpOnlyHostAsync();
        await WarmAsync(client);

        await AssertRefusedAtOnceAsync(client, HttpMethod.Post, "/api/orders", expected);
        var health = await AssertHealthUnhealthyAtOnceAsync(client, expected);
        Assert.DoesNotContain("orders-kv", health);
    }

    [Fact]
    public async Task WrongPassword_IsNamedIn503AndHealth()
    {
        await using var server = await RedisServerProcess.StartAsync();
        await server.RequirePasswordAsync("the-right-one");
        await using var scenario = new AppScenario(redis.ConnectionString);
        scenario.Settings["RedisConnection"] = $"{server.EndPoint},password=a-wrong-one";
        using var client = await scenario.StartHttpOnlyHostAsync();

        const string Expected = "Redis refused the password in app setting 'RedisConnection'";
        await Eventually.HoldsAsync(
            async () => (await ReadAsync(client, HttpMethod.Post, "/api/orders")).Body.Contains(Expected),
            "the refused password named in the 503");
        var health = await AssertHealthUnhealthyAtOnceAsync(client, Expected);
        Assert.DoesNotContain("a-wrong-one", health);
    }

    [Fact]
    public async Task SslTrueAgainstAPlainServer_IsNamedIn503AndHealth()
    {
        await using var server = await RedisServerProcess.StartAsync();
        await using var scenario = new AppScenario(redis.ConnectionString);
        scenario.Settings["RedisConnection"] = $"{server.EndPoint},ssl=true,connectTimeout=1500";
        using var client = await scenario.StartHttpOnlyHostAsync();

        const string Expected = "The TLS handshake with Redis failed: app setting 'RedisConnection' has ssl=True";
        await Eventually.HoldsAsync(
            async () => (await ReadAsync(client, HttpMethod.Post, "/api/orders")).Body.Contains(Expected),
            "the TLS mismatch named in the 503");
        await AssertHealthUnhealthyAtOnceAsync(client, Expected);
    }

    private static IEnumerable<(HttpMethod Method, string Path)> RoutesThatNeedRedis(string orderId) =>
    [
        (HttpMethod.Post, "/api/orders"),
        (HttpMethod.Get, $"/api/orders/{orderId}"),
        (HttpMethod.Head, $"/api/orders/{orderId}"),
        (HttpMethod.Get, "/api/ops/overview"),
        (HttpMethod.Get, "/api/ops/dead-letters"),
        (HttpMethod.Get, "/api/ops/dead-letters/1-1"),
        (HttpMethod.Post, "/api/ops/dead-letters/1-1/replay"),
        (HttpMethod.Post, "/api/ops/dead-letters/1-1/discard"),
        (HttpMethod.Post, "/api/ops/dead-letters/replay"),
        (HttpMethod.Post, "/api/ops/dead-letters/discard"),
    ];

    /// <summary>A request that needs no Redis (an order that is not JSON: 400), so the pipeline is compiled.</summary>
    private static async Task WarmAsync(HttpClient client)
    {
        using var response = await client.PostAsync(
            "/api/orders", new StringContent("{", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task AssertRefusedAtOnceAsync(
        HttpClient client, HttpMethod method, string path, string expectedDetail, TimeSpan? within = null)
    {
        var (status, retryAfter, body, elapsed) = await ReadAsync(client, method, path);

        output.WriteLine($"{method} {path}: {(int)status} in {elapsed.TotalMilliseconds:0} ms");
        Assert.True(status == HttpStatusCode.ServiceUnavailable, $"{method} {path} answered {(int)status}: {body}");
        Assert.True(elapsed < (within ?? AtOnce), $"{method} {path} took {elapsed.TotalMilliseconds:0} ms");
        Assert.True(retryAfter, $"{method} {path}: no Retry-After");
        if (method != HttpMethod.Head)
            Assert.Contains(expectedDetail, body);
    }

    private async Task<string> AssertHealthUnhealthyAtOnceAsync(HttpClient client, string expectedDetail,
        TimeSpan? within = null)
    {
        var (status, _, body, elapsed) = await ReadAsync(client, HttpMethod.Get, "/api/health");

        output.WriteLine($"GET /api/health: {(int)status} in {elapsed.TotalMilliseconds:0} ms: {body}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.True(elapsed < (within ?? AtOnce), $"GET /api/health took {elapsed.TotalMilliseconds:0} ms");
        var redisCheck = JsonDocument.Parse(body).RootElement.GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "redis");
        Assert.Contains(expectedDetail, redisCheck.GetProperty("detail").GetString());
        Assert.DoesNotContain("127.0.0.1", body);
        return body;
    }

    private static async Task<(HttpStatusCode Status, bool RetryAfter, string Body, TimeSpan Elapsed)> ReadAsync(
        HttpClient client, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        // The order, or the dead-letter routes' JSON body ({} matches every dead letter; a single one takes {} too).
        if (method == HttpMethod.Post)
            request.Content = path == "/api/orders"
                ? JsonContent.Create(AppScenario.ValidOrder())
                : new StringContent("{}", Encoding.UTF8, "application/json");
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Headers.RetryAfter is not null, body, clock.Elapsed);
    }
}
