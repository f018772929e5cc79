namespace OrdersFunctions.OpsPage.Tests;

/// <summary>The skip rule of the browser tests: without chromium they say so in one line, with the fix.</summary>
public sealed class ChromiumTests
{
    [Fact]
    public void SkipReason_ForAMissingBinary_IsOneLineNamingThePathAndTheFix()
    {
        var reason = Chromium.SkipReasonFor("/nonexistent/chromium");

        Assert.Equal(
            "chromium not found at /nonexistent/chromium: apt-get install -y chromium (or set CHROMIUM_PATH)", reason);
    }

    [Fact]
    public void SkipReason_ForAnExistingBinary_IsNone()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.Null(Chromium.SkipReasonFor(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
