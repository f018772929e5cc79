using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrdersFunctions.App.Orders;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.App.Tests;

/// <summary>
/// What POST /api/orders answers to bad input, keys and retries — and that bad input publishes nothing.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class PlaceOrderHttpTests(RedisServerFixture redis)
{
    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "{\"customerEmail\":\"a@b.example\",\"items\":[]}", "items" },
        { "{\"customerEmail\":\"a@b.example\",\"items\":[{\"sku\":\"B\",\"quantity\":0,\"unitPrice\":1}]}",
            "items[0].quantity" },
        { "{\"customerEmail\":\"a@b.example\",\"items\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":-1}]}",
            "items[0].unitPrice" },
        { "{\"customerEmail\":\"not-an-address\",\"items\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":1}]}",
            "customerEmail" },
        { "{\"customerEmail\":\"a@b.example\",\"items\":[{\"sku\":\"B\",\"quantity\":\"two\",\"unitPrice\":1}]}",
            "items[0].quantity" },
        { "{\"customerEmail\":\"a@b.example\",\"coupon\":5,\"items\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":1}]}",
            "coupon" },
        { "{\"customerEmail\":\"a@b.example\",\"items\":[{\"sku\":\"B\",", "$" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task MalformedBody_Is400ProblemDetailsNamingTheField_AndPublishesNothing(string body, string field)
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();

        using var response = await client.PostAsync(
            "/api/orders", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _),
            $"errors should name '{field}': {problem}");
        Assert.Equal(0, await scenario.StreamLengthAsync());
    }

    [Fact]
    public async Task NonJsonContentType_Is415_AndPublishesNothing()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();
        var json = JsonSerializer.Serialize(AppScenario.ValidOrder());

        using var response = await client.PostAsync(
            "/api/orders", new StringContent(json, Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await scenario.StreamLengthAsync());
    }

    [Fact]
    public async Task BodyOver64KiB_Is413_AndPublishesNothing()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();
        var body = "{\"customerEmail\":\"a@b.example\",\"customerName\":\"" + new string('x', 70_000)
            + "\",\"items\":[]}";

        using var response = await client.PostAsync(
            "/api/orders", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await scenario.StreamLengthAsync());
    }

    [Fact]
    public async Task AcceptedOrder_Is202WithOrderIdEntryIdAndLocation()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();

        using var response = await client.PostAsJsonAsync("/api/orders", AppScenario.ValidOrder());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var orderId = body.GetProperty("orderId").GetString();
        Assert.Equal($"/api/orders/{orderId}", response.Headers.Location?.OriginalString);
        var entries = await scenario.Redis.StreamRangeAsync(scenario.Stream);
        Assert.Equal(body.GetProperty("streamEntryId").GetString(), entries.Single().Id);
    }

    [Fact]
    public async Task RetriedRequestWithIdempotencyKey_ReturnsTheFirstAnswer_AndPublishesOnce()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();
        var json = JsonSerializer.Serialize(AppScenario.ValidOrder());

        var answers = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", "retry-me-1");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            answers.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Single(answers.Distinct());
        Assert.Equal(1, await scenario.StreamLengthAsync());
    }

    [Fact]
    public async Task RetryOfARequestThatDiedBeforePublishing_Is409UntilItsReservationExpires_ThenPublishesOnce()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();
        var json = JsonSerializer.Serialize(AppScenario.ValidOrder());
        // What a request that reserved the key and then died leaves behind. It gets no TTL until the first retry has
        // seen it, so a slow first request cannot arrive after the reservation is gone; then it expires at once.
        var reservation = JsonSerializer.Serialize(new
        {
            orderId = OrderIntake.NewOrderId(),
            requestHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json))),
            streamEntryId = (string?)null,
        });
        var key = OrderKeys.Idempotency(scenario.Stream, "died-1");
        await scenario.Redis.StringSetAsync(key, reservation);

        using var whileReserved = await PostWithKeyAsync(client, json, "died-1");
        await scenario.Redis.KeyExpireAsync(key, TimeSpan.FromMilliseconds(1));
        HttpResponseMessage? afterExpiry = null;
        await Eventually.HoldsAsync(async () =>
        {
            afterExpiry?.Dispose();
            afterExpiry = await PostWithKeyAsync(client, json, "died-1");
            return afterExpiry.StatusCode == HttpStatusCode.Accepted;
        }, "a retry is accepted once the dead request's reservation expired");
        using var replay = await PostWithKeyAsync(client, json, "died-1");

        Assert.Equal(HttpStatusCode.Conflict, whileReserved.StatusCode);
        Assert.Equal(await afterExpiry!.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(1, await scenario.StreamLengthAsync());
        afterExpiry.Dispose();
    }

    private static Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, string json, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }

    [Fact]
    public async Task IdempotencyKeyReusedWithADifferentBody_Is422_AndPublishesNothingMore()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();

        foreach (var (n, expected) in new[] { (1, HttpStatusCode.Accepted), (2, HttpStatusCode.UnprocessableEntity) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
            {
                Content = JsonContent.Create(AppScenario.ValidOrder(n)),
            };
            request.Headers.Add("Idempotency-Key", "shared-key");
            using var response = await client.SendAsync(request);
            Assert.Equal(expected, response.StatusCode);
        }
        Assert.Equal(1, await scenario.StreamLengthAsync());
    }

    [Fact]
    public async Task ConfiguredFunctionKey_IsRequired_InHeaderOrCodeQuery()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        scenario.Settings["LocalHost__FunctionKey"] = "s3cret-key";
        using var client = await scenario.StartHttpOnlyHostAsync();

        using var without = await client.PostAsJsonAsync("/api/orders", AppScenario.ValidOrder());
        using var wrong = await client.PostAsJsonAsync("/api/orders?code=guess", AppScenario.ValidOrder());
        using var withQuery = await client.PostAsJsonAsync("/api/orders?code=s3cret-key", AppScenario.ValidOrder());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(AppScenario.ValidOrder()),
        };
        request.Headers.Add("x-functions-key", "s3cret-key");
        using var withHeader = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, withQuery.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, withHeader.StatusCode);
        Assert.Equal(2, await scenario.StreamLengthAsync());
    }

    [Fact]
    public async Task UnreachableRedis_Is503ProblemDetails()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        // A loopback port nothing listens on; short timeouts so the test does not wait out the defaults.
        using var nothingThere = new RefusingPort();
        scenario.Settings["RedisConnection"] = $"127.0.0.1:{nothingThere.Port},connectTimeout=500,asyncTimeout=500";
        using var client = await scenario.StartHttpOnlyHostAsync();

        using var response = await client.PostAsJsonAsync("/api/orders", AppScenario.ValidOrder());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
