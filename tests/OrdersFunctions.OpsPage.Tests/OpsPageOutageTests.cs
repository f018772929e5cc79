using Microsoft.Playwright;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.OpsPage.Tests;

/// <summary>Redis goes away and comes back while the page is open: a banner says so, the page keeps polling and the
/// banner goes by itself. Owns its redis-server (to stop it), so it runs beside the shared-server collection.</summary>
public sealed class OpsPageOutageTests(RestartableRedisServerFixture redis, BrowserFixture browser)
    : IClassFixture<RestartableRedisServerFixture>, IClassFixture<BrowserFixture>
{
    [ChromiumFact]
    public async Task RedisDown_ShowsTheBanner_AndItGoesWhenRedisIsBack()
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, OpsWorld.MasterKey);
        await Assertions.Expect(tab.GroupRow(world.Scenario.NotificationsGroup))
            .ToBeVisibleAsync(new() { Timeout = OpsPageSession.WaitMs });
        await Assertions.Expect(tab.Banner).ToBeHiddenAsync();

        await redis.StopServerAsync();
        try
        {
            await Assertions.Expect(tab.Banner).ToBeVisibleAsync(new() { Timeout = OpsPageSession.WaitMs });
            await Assertions.Expect(tab.Banner).ToContainTextAsync("Redis cannot be used");
            // The app's 503 detail: what is wrong, with the setting to look at.
            await Assertions.Expect(tab.Banner).ToContainTextAsync("app setting 'RedisConnection'");
        }
        finally
        {
            await redis.StartAgainAsync();
        }

        await Assertions.Expect(tab.Banner).ToBeHiddenAsync(new() { Timeout = OpsPageSession.WaitMs });
        await Assertions.Expect(tab.GroupRow(world.Scenario.NotificationsGroup)).ToBeVisibleAsync();
    }
}
