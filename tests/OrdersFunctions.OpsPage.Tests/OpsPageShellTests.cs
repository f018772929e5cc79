using System.Net;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.OpsPage.Tests;

/// <summary>The page's own routes over plain HTTP: an anonymous, hardened shell; script and stylesheet as separate
/// files (so the policy can forbid inline code); the Admin-level key check.</summary>
[Collection(OpsPageCollection.Name)]
public sealed class OpsPageShellTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Shell_IsServedWithoutAKey_UncachedUnderAStrictContentSecurityPolicy()
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        using var anonymous = new HttpClient { BaseAddress = world.Client.BaseAddress };

        using var response = await anonymous.GetAsync("/api/ops");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        var policy = Single(response, "Content-Security-Policy");
        Assert.Contains("script-src 'self';", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Contains("src=\"/api/ops/page.js\"", html);
        Assert.DoesNotContain("<script>", html); // no inline script: the policy would block it anyway
    }

    [Theory]
    [InlineData("/api/ops/page.js", "text/javascript")]
    [InlineData("/api/ops/page.css", "text/css")]
    public async Task ScriptAndStylesheet_AreSeparateAnonymousFiles(string path, string mediaType)
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        using var anonymous = new HttpClient { BaseAddress = world.Client.BaseAddress };

        using var response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.True((await response.Content.ReadAsStringAsync()).Length > 1000,
            "the embedded file is served, not an empty answer");
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong-key", HttpStatusCode.Unauthorized)]
    [InlineData(OpsWorld.MasterKey, HttpStatusCode.NoContent)]
    public async Task KeyCheck_AnswersOnlyTheMasterKey(string? key, HttpStatusCode expected)
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        using var client = new HttpClient { BaseAddress = world.Client.BaseAddress };
        if (key is not null)
            client.DefaultRequestHeaders.Add("x-functions-key", key);

        using var response = await client.GetAsync("/api/ops/key-check");

        Assert.Equal(expected, response.StatusCode);
    }

    private static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.TryGetValues(header, out var values) ? values : []);
}
