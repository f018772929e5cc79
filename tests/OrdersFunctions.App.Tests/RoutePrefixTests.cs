using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.App.Tests;

/// <summary>
/// host.json's <c>extensions.http.routePrefix</c> (here through its app-setting form, which overrides host.json under
/// the Functions host too) moves every HTTP function, and the Location of an accepted order follows it.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RoutePrefixTests(RedisServerFixture redis)
{
    private const string RoutePrefixSetting = "AzureFunctionsJobHost__extensions__http__routePrefix";

    [Fact]
    public async Task RoutePrefixSetting_MovesTheHttpFunctions_AndTheLocationFollows()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHostAsync(
            new Dictionary<string, string?> { [RoutePrefixSetting] = "shop" });

        using var accepted = await client.PostAsJsonAsync("/shop/orders", AppScenario.ValidOrder());
        var orderId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString();
        using var status = await client.GetAsync(accepted.Headers.Location);
        using var underApi = await client.PostAsJsonAsync("/api/orders", AppScenario.ValidOrder());

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal($"/shop/orders/{orderId}", accepted.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, underApi.StatusCode);
    }

    [Fact]
    public async Task EmptyRoutePrefix_ServesTheHttpFunctionsAtTheRoot()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHostAsync(new Dictionary<string, string?> { [RoutePrefixSetting] = "" });

        using var accepted = await client.PostAsJsonAsync("/orders", AppScenario.ValidOrder());

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.StartsWith("/orders/", accepted.Headers.Location?.OriginalString);
    }
}
