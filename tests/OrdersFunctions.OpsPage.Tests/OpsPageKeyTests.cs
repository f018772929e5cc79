using Microsoft.Playwright;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.OpsPage.Tests;

/// <summary>The master key in the browser: asked for plainly when missing, taken from <c>?code=</c> and then removed
/// from the address bar, and the page runs under its own Content-Security-Policy without a violation.</summary>
[Collection(OpsPageCollection.Name)]
public sealed class OpsPageKeyTests(RedisServerFixture redis, BrowserFixture browser)
{
    [ChromiumFact]
    public async Task WithoutTheKey_ThePageSaysTheMasterKeyIsRequired()
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, key: null);

        await Assertions.Expect(tab.KeyPanel).ToBeVisibleAsync(new() { Timeout = OpsPageSession.WaitMs });
        await Assertions.Expect(tab.KeyPanel.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Master key required");
        await Assertions.Expect(tab.Page.GetByLabel("Master key", new() { Exact = true })).ToBeFocusedAsync();
    }

    [ChromiumFact]
    public async Task AWrongKey_IsRefusedWithTheKeyPanel()
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, key: "not-the-master-key");

        await Assertions.Expect(tab.Page.Locator("#key-error"))
            .ToContainTextAsync("refused", new() { Timeout = OpsPageSession.WaitMs });
    }

    [ChromiumFact]
    public async Task TheKeyTypedIntoThePanel_IsAcceptedAndThePanelGoes()
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, key: null);
        await Assertions.Expect(tab.KeyPanel).ToBeVisibleAsync(new() { Timeout = OpsPageSession.WaitMs });

        await tab.Page.GetByLabel("Master key", new() { Exact = true }).FillAsync(OpsWorld.MasterKey);
        await tab.Page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(tab.KeyPanel).ToBeHiddenAsync(new() { Timeout = OpsPageSession.WaitMs });
    }

    [ChromiumFact]
    public async Task TheKeyFromTheUrl_IsRemovedFromTheAddressBar()
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, OpsWorld.MasterKey);

        await tab.Page.WaitForFunctionAsync(
            "() => !location.search.includes('code=')", null, new() { Timeout = OpsPageSession.WaitMs });
        Assert.DoesNotContain(OpsWorld.MasterKey, tab.Page.Url);
        await Assertions.Expect(tab.KeyPanel).ToBeHiddenAsync();
    }

    [ChromiumFact]
    public async Task ThePage_RunsUnderItsContentSecurityPolicy_WithoutAViolation()
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, OpsWorld.MasterKey);

        // The script ran (it wrote the status line) and styled the page (the stylesheet loaded).
        await Assertions.Expect(tab.Page.Locator("#status-line"))
            .Not.ToHaveTextAsync("Starting…", new() { Timeout = OpsPageSession.WaitMs });
        var position = await tab.Page.EvalOnSelectorAsync<string>(".skip", "e => getComputedStyle(e).position");
        Assert.Equal("absolute", position);
        Assert.DoesNotContain(
            tab.ConsoleErrors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }
}
