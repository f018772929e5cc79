using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using CsCheck;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.App.Tests.Http;

/// <summary>
/// The property "no request body, header or content type yields a 5xx", checked with generated requests (see
/// <see cref="HttpInputGenerators"/>) sent through the local host to real Redis: every answer is below 500, every
/// 4xx is a problem+json body, and no 4xx adds anything to the stream.
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
        Assert.True(statuses.ContainsKey(202) && statuses.ContainsKey(400) && statuses.ContainsKey(415), $"answers seen: {seen}");
    }

    private static void AssertProblem(int status, MediaTypeHeaderValue? contentType, string body)
    {
        Assert.True(contentType?.MediaType == "application/problem+json", $"{status} with Content-Type '{contentType}': {body}");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(JsonValueKind.String, problem.GetProperty("type").ValueKind);
        Assert.Equal(JsonValueKind.String, problem.GetProperty("title").ValueKind);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
    }
}
