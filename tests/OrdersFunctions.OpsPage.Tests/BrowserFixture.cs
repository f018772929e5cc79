using Microsoft.Playwright;

namespace OrdersFunctions.OpsPage.Tests;

/// <summary>One headless chromium for a test class or collection; each test opens its own context (own session
/// storage) at 1280×800, the laptop screen the page must be readable on.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (Chromium.SkipReason is not null)
            return; // every test here is a ChromiumFact and skips with that reason
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = Chromium.Arguments,
        });
    }

    /// <summary>A fresh page in a fresh context; its console errors are collected in
    /// <see cref="OpsPageSession.ConsoleErrors"/>. <paramref name="locale"/> and <paramref name="timezone"/> are the
    /// browser's (its defaults when null).</summary>
    public async Task<OpsPageSession> OpenAsync(
        Uri hostBase, string? key, string? locale = null, string? timezone = null)
    {
        var browser = _browser
            ?? throw new InvalidOperationException(Chromium.SkipReason ?? "The browser is not started.");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = locale,
            TimezoneId = timezone,
        });
        var page = await context.NewPageAsync();
        var session = new OpsPageSession(context, page);
        var url = new Uri(hostBase, key is null ? "api/ops" : "api/ops?code=" + Uri.EscapeDataString(key));
        await page.GotoAsync(url.ToString());
        return session;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
