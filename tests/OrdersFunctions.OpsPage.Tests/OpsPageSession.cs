using Microsoft.Playwright;

namespace OrdersFunctions.OpsPage.Tests;

/// <summary>One browser tab on the ops page, with the locators the tests use (the page's element ids).</summary>
public sealed class OpsPageSession : IAsyncDisposable
{
    /// <summary>
    /// Generous: the page polls every 2 s and the machine is shared; a passing test never waits this out.
    /// </summary>
    public static readonly float WaitMs = 60_000;

    private readonly IBrowserContext _context;
    private readonly List<string> _consoleErrors = [];

    public OpsPageSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                lock (_consoleErrors) _consoleErrors.Add(message.Text);
        };
    }

    public IPage Page { get; }

    public IReadOnlyList<string> ConsoleErrors
    {
        get { lock (_consoleErrors) return [.. _consoleErrors]; }
    }

    public ILocator Banner => Page.Locator("#banner");
    public ILocator KeyPanel => Page.Locator("#key-panel");
    public ILocator GroupRow(string group) => Page.Locator($"#groups-body tr[data-group=\"{group}\"]");
    public ILocator StreamsBody => Page.Locator("#streams-body");
    public ILocator DeadLetterRow(string id) => Page.Locator($"#dl-body tr[data-id=\"{id}\"]");
    public ILocator ResultOf(string id) => DeadLetterRow(id).Locator(".result-cell");
    public ILocator ConfirmDialog => Page.Locator("#confirm");

    /// <summary>Waits until the dead-letter table shows the row of <paramref name="id"/> (the next reload after it
    /// was written).</summary>
    public Task WaitForDeadLetterRowAsync(string id) =>
        Assertions.Expect(DeadLetterRow(id)).ToBeVisibleAsync(new() { Timeout = WaitMs });

    /// <summary>
    /// Presses <paramref name="button"/> of a dead-letter row and confirms in the dialog, by keyboard.
    /// </summary>
    public async Task PressAndConfirmAsync(string id, string button)
    {
        await PressAsync(id, button);
        await ConfirmAsync();
    }

    /// <summary>Presses a row's action button and waits for the confirmation dialog.</summary>
    public async Task PressAsync(string id, string button)
    {
        // The row's buttons are labelled "Replay {id} to {group}", "Discard {id}", "Fields of {id}": match the start,
        // as a group name (made from the test's name) may itself contain "Discard".
        var name = new System.Text.RegularExpressions.Regex(
            "^" + System.Text.RegularExpressions.Regex.Escape(button) + " ");
        await DeadLetterRow(id).GetByRole(AriaRole.Button, new() { NameRegex = name }).ClickAsync();
        await Assertions.Expect(ConfirmDialog).ToBeVisibleAsync(new() { Timeout = WaitMs });
    }

    public async Task ConfirmAsync()
    {
        await Page.Locator("#confirm-ok").ClickAsync();
        await Assertions.Expect(ConfirmDialog).ToBeHiddenAsync(new() { Timeout = WaitMs });
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
