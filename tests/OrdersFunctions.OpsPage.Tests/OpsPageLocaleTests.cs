using System.Globalization;
using Microsoft.Playwright;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.OpsPage.Tests;

/// <summary>The page writes times in the browser's locale, the format of the browser's own date pickers (the filters'
/// datetime-local fields), not in one fixed locale: the same dead letter reads differently in an en-US and a German
/// browser. The browsers run in UTC, so the expected text follows from the record's own time.</summary>
[Collection(OpsPageCollection.Name)]
public sealed class OpsPageLocaleTests(RedisServerFixture redis, BrowserFixture browser)
{
    [ChromiumFact]
    public async Task FailedAt_IsWrittenInTheBrowsersLocale()
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        var id = await world.AddDeadLetterAsync(world.Scenario.NotificationsGroup, "System.TimeoutException", "slow");
        var entry = (await world.Scenario.Redis.StreamRangeAsync(world.DeadLetterStream, id, id)).Single();
        var failedAt = DateTime.Parse((string)entry[DeadLetterFields.FailedAt]!, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        foreach (var (locale, expected) in new[]
                 {
                     ("en-US", failedAt.ToString("MM/dd/yyyy, hh:mm:ss tt", CultureInfo.InvariantCulture)),
                     ("de-DE", failedAt.ToString("dd.MM.yyyy, HH:mm:ss", CultureInfo.InvariantCulture)),
                 })
        {
            await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, OpsWorld.MasterKey, locale, "UTC");
            await tab.WaitForDeadLetterRowAsync(id);

            var shown = await tab.DeadLetterRow(id).Locator("td").First.InnerTextAsync();

            // ICU puts a narrow no-break space before AM/PM.
            Assert.Equal(expected, shown.Replace('\u202F', ' ').Replace('\u00A0', ' ').Trim());
        }
    }
}
