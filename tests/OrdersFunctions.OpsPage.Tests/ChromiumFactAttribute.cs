namespace OrdersFunctions.OpsPage.Tests;

/// <summary>A fact that needs a real browser: skipped, with <see cref="Chromium.SkipReason"/> as its one line, when
/// chromium is not installed. Never passes without having run.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.SkipReason is { } reason)
            Skip = reason;
    }
}
