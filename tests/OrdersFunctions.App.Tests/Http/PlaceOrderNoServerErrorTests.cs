using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using CsCheck;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.App.Tests.Http;

/// <summary>
/// The property "no request body, header, content type or order id yields a 5xx", checked with generated requests
/// (see <see cref="HttpInputGenerators"/>) sent through the local host to real Redis: every answer is below 500,
/// every 4xx with a body is problem+json, and no 4xx adds anything to the stream.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class PlaceOrderNoServerErrorTests(RedisServerFixture redis)
{
    // A few hundred requests: enough to hit every generator branch many times, bounded in time on a busy machine.
    private const int Requests = 300;

    [Fact]
    public async Task GeneratedRequests_NeverGet5xx_And4xxIsProblemJson_ThatPublishesNothing()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();

        var statuses = new ConcurrentDictionary<int, int>();
        // One thread: the assertion compares the stream's length before and after each request.
        await HttpInputGenerators.Request.SampleAsync(async request =>
        {
            var before = await scenario.StreamLengthAsync();
            using var message = request.ToMessage();
            using var response = await client.SendAsync(message);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(status < 500, $"answered {status}: {body}");
            if (status >= 400)
            {
                AssertProblem(status, response.Content.Headers.ContentType, body);
                Assert.Equal(before, await scenario.StreamLengthAsync());
            }
        }, iter: Requests, threads: 1, print: request => request.ToString());

        // The generators must reach both sides: orders accepted, orders refused, bodies refused for their type.
        var seen = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));
        Assert.True(statuses.ContainsKey(202) && statuses.ContainsKey(400) && statuses.ContainsKey(415),
            $"answers seen: {seen}");
    }

    [Fact]
    public async Task GeneratedOrderIds_OnGetAndHead_NeverGet5xx()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();
        var known = await AppScenario.PostOrderAsync(client);
        var orderIds = Gen.OneOf<string>(
            Gen.Const(known),
            Gen.Char["0123456789abcdefABCDEF"].Array[0, 40].Select(c => new string(c)),
            Gen.String[1, 40],
            Gen.OneOf("%00", "%ff%fe", "%2e%2e", "..", "a%2Fb", "%e2%82", new string('f', 4_000),
                known.ToUpperInvariant()));

        await Gen.Select(orderIds, Gen.Bool).SampleAsync(async (orderId, head) =>
        {
            var path = "/api/orders/" + (orderId.Contains('%') ? orderId : Uri.EscapeDataString(orderId));
            using var response = await client.SendAsync(
                new HttpRequestMessage(head ? HttpMethod.Head : HttpMethod.Get, path));
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(status < 500, $"{(head ? "HEAD" : "GET")} {path} answered {status}: {body}");
            // A path Kestrel itself refuses (%00 in it) gets its bare 400 before any function runs, under the
            // Functions host too; every answer with a body comes from the app and is problem details.
            if (status >= 400 && body.Length > 0)
                AssertProblem(status, response.Content.Headers.ContentType, body);
        }, iter: 100, threads: 1);
    }

    private static void AssertProblem(int status, MediaTypeHeaderValue? contentType, string body)
    {
        Assert.True(contentType?.MediaType == "application/problem+json",
            $"{status} with Content-Type '{contentType}': {body}");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(JsonValueKind.String, problem.GetProperty("type").ValueKind);
        Assert.Equal(JsonValueKind.String, problem.GetProperty("title").ValueKind);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
    }
}
