using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.App.Tests.Http;

/// <summary>
/// HEAD on the status route, the JSON media types POST /api/orders takes, currency case and invalid UTF-8.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class HttpDetailsTests(RedisServerFixture redis)
{
    private const string Order =
        "{\"customerEmail\":\"a@b.example\",\"items\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":1}]}";

    [Fact]
    public async Task HeadOnOrderStatus_AnswersLikeGet_WithoutTheBody()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();
        var orderId = await AppScenario.PostOrderAsync(client);

        using var get = await client.GetAsync($"/api/orders/{orderId}");
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/orders/{orderId}"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task HeadOnAnUnknownOrder_Is404WithoutABody()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();

        using var head = await client.SendAsync(
            new HttpRequestMessage(HttpMethod.Head, $"/api/orders/{new string('0', 32)}"));

        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal("application/problem+json", head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/json")]
    [InlineData("application/vnd.api+json")]
    [InlineData("text/json; charset=utf-8")]
    public async Task JsonMediaTypes_AreAccepted(string contentType)
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Order));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await client.PostAsync("/api/orders", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await scenario.StreamLengthAsync());
    }

    [Fact]
    public async Task LowerCaseCurrency_IsAccepted_AndPublishedInCapitals()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();
        var order = Order.Replace("\"items\"", "\"currency\":\"usd\",\"items\"");

        using var response = await client.PostAsync(
            "/api/orders", new StringContent(order, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var entry = Assert.Single(await scenario.Redis.StreamRangeAsync(scenario.Stream));
        Assert.Contains(entry.Values, v => v.Value.ToString().Contains("\"currency\":\"USD\""));
    }

    [Fact]
    public async Task InvalidUtf8InsideAString_Is400SayingWhere_AndPublishesNothing()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();
        byte[] body =
        [
            .. "{\"customerEmail\":\"c"u8, 0xBA,
            .. "7@shop.example\",\"items\":[{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":1}]}"u8,
        ];
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");

        using var response = await client.PostAsync("/api/orders", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("UTF-8 at byte 20 (line 1)", problem.GetProperty("errors").GetProperty("$")[0].GetString());
        Assert.Equal(0, await scenario.StreamLengthAsync());
    }
}
