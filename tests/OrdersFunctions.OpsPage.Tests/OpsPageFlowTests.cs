using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using OrdersFunctions.App.Orders;
using OrdersFunctions.App.Tests;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.OpsPage.Tests;

/// <summary>
/// The page over the operations API of docs/ops-api.md, against the local host and real Redis: live counters and
/// chart, the dead-letter table, Replay and Discard, and text from Redis shown as text.
/// </summary>
[Collection(OpsPageCollection.Name)]
public sealed class OpsPageFlowTests(RedisServerFixture redis, BrowserFixture browser)
{
    private static readonly LocatorAssertionsToHaveTextOptions Patiently = new() { Timeout = OpsPageSession.WaitMs };

    [ChromiumFact]
    public async Task PlacedOrders_MoveTheCountersAndTheChart()
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, OpsWorld.MasterKey);
        await Assertions.Expect(tab.GroupRow(world.Scenario.NotificationsGroup))
            .ToBeVisibleAsync(new() { Timeout = OpsPageSession.WaitMs });

        for (var n = 1; n <= 5; n++)
            await AppScenario.PostOrderAsync(world.Client, n);
        await world.Scenario.WaitForHandledAsync(5);

        await Assertions.Expect(tab.StreamsBody.Locator("tr").First.Locator("td").Nth(1))
            .ToHaveTextAsync("5", Patiently);
        // The throughput chart's highest sample is above zero: entriesRead moved between two polls.
        await tab.Page.WaitForFunctionAsync(
            "() => Number(document.getElementById('throughput-chart').dataset.max) > 0", null,
            new() { Timeout = OpsPageSession.WaitMs });
        await Assertions.Expect(
                tab.Page.Locator($"#throughput-chart polyline[data-series$=\"/{world.Scenario.NotificationsGroup}\"]"))
            .ToHaveCountAsync(1);
    }

    [ChromiumFact]
    public async Task PoisonEntry_AppearsInTheDeadLetterTable()
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, OpsWorld.MasterKey);
        for (var n = 1; n <= 3; n++)
            await AppScenario.PostOrderAsync(world.Client, n);

        await AddPoisonEntryAsync(world);
        var deadLetterId = await world.WaitForDeadLetterAsync(world.Scenario.NotificationsGroup);

        await tab.WaitForDeadLetterRowAsync(deadLetterId);
        await Assertions.Expect(tab.DeadLetterRow(deadLetterId).Locator("td").Nth(1))
            .ToHaveTextAsync(world.Scenario.NotificationsGroup);
        await Assertions.Expect(tab.GroupRow(world.Scenario.NotificationsGroup).Locator("td").Nth(5))
            .Not.ToHaveTextAsync("0", Patiently);
    }

    [ChromiumFact]
    public async Task DeadLetterCounts_StillBeingCounted_AreShownAsALowerBound()
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, OpsWorld.MasterKey);
        // Counting dead letters of an older version takes one short step here, so hold the overview's answer at "not
        // exact yet", as it stays for a while on a large dead-letter stream.
        await tab.Page.RouteAsync("**/api/ops/overview*", async route =>
        {
            var response = await route.FetchAsync();
            var body = (await response.TextAsync())
                .Replace("\"deadLetterCountsExact\":true", "\"deadLetterCountsExact\":false");
            await route.FulfillAsync(new() { Response = response, Body = body });
        });

        await world.AddDeadLetterAsync(
            world.Scenario.NotificationsGroup, "System.InvalidOperationException", "old failure");

        await Assertions.Expect(tab.GroupRow(world.Scenario.NotificationsGroup).Locator("td").Nth(5))
            .ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^≥ \\d"), Patiently);
    }

    [ChromiumFact]
    public async Task Replay_AfterTheCauseIsFixed_BringsTheOrderToDoneInThatGroupOnly()
    {
        // The cause: the outbox path is a file, so every notification fails and is dead-lettered; spreadsheets succeed.
        string? blocker = null;
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString, scenario =>
        {
            blocker = scenario.OutboxPath;
            File.WriteAllText(blocker, "not a folder");
        });
        await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, OpsWorld.MasterKey);
        var orderId = await AppScenario.PostOrderAsync(world.Client);
        var deadLetterId = await world.WaitForDeadLetterAsync(world.Scenario.NotificationsGroup);
        await Eventually.HoldsAsync(
            async () => await world.OrderStateAsync(orderId, world.Scenario.SpreadsheetsGroup) == GroupState.Done,
            "the order handled by spreadsheets");
        await tab.WaitForDeadLetterRowAsync(deadLetterId);

        File.Delete(blocker!); // the fix
        await tab.PressAndConfirmAsync(deadLetterId, "Replay");

        await Assertions.Expect(tab.ResultOf(deadLetterId))
            .ToContainTextAsync("Replayed", new() { Timeout = OpsPageSession.WaitMs });
        await Eventually.HoldsAsync(
            async () => await world.OrderStateAsync(orderId, world.Scenario.NotificationsGroup) == GroupState.Done,
            "the replayed order done in notifications", timeout: TimeSpan.FromSeconds(60));
        Assert.Equal([orderId], world.Scenario.OutboxOrderIds());
        Assert.Equal([orderId], world.Scenario.CsvOrderIds()); // spreadsheets did not get it a second time
        Assert.Empty(await world.DeadLetterIdsAsync(world.Scenario.SpreadsheetsGroup));
    }

    [ChromiumFact]
    public async Task Discard_AfterConfirmation_DiscardsTheEntryAndSaysSoInPlace()
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, OpsWorld.MasterKey);
        await AddPoisonEntryAsync(world);
        var deadLetterId = await world.WaitForDeadLetterAsync(world.Scenario.SpreadsheetsGroup);
        await tab.WaitForDeadLetterRowAsync(deadLetterId);

        await tab.PressAndConfirmAsync(deadLetterId, "Discard");

        await Assertions.Expect(tab.ResultOf(deadLetterId)).ToHaveTextAsync("Discarded", Patiently);
        using var again = await world.Client.PostAsync($"/api/ops/dead-letters/{deadLetterId}/discard", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode); // it really was discarded
    }

    [ChromiumFact]
    public async Task Discard_WhileTheTableReloads_StillSaysSoInItsRow()
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, OpsWorld.MasterKey);
        await AddPoisonEntryAsync(world);
        var deadLetterId = await world.WaitForDeadLetterAsync(world.Scenario.SpreadsheetsGroup);
        var original = await world.OriginalFieldsAsync(deadLetterId);
        await tab.WaitForDeadLetterRowAsync(deadLetterId);

        // A new dead letter arrives while the dialog is open: the table is rebuilt under the operator's pending action.
        await tab.PressAsync(deadLetterId, "Discard");
        var arrivedMeanwhile = await world.AddDeadLetterAsync(
            world.Scenario.NotificationsGroup, "System.TimeoutException", "SMTP timed out", original);
        await tab.WaitForDeadLetterRowAsync(arrivedMeanwhile);
        await tab.ConfirmAsync();
        await Assertions.Expect(tab.ResultOf(deadLetterId)).ToHaveTextAsync("Discarded", Patiently);

        // The discard lowered the count, and one more arrives: the table reloads without the discarded entry in the
        // API's answer, and its row stays, still saying what happened.
        var arrivedAfter = await world.AddDeadLetterAsync(
            world.Scenario.NotificationsGroup, "System.TimeoutException", "SMTP timed out again", original);
        await tab.WaitForDeadLetterRowAsync(arrivedAfter);
        await Assertions.Expect(tab.ResultOf(deadLetterId)).ToHaveTextAsync("Discarded");
        await Assertions.Expect(
                tab.DeadLetterRow(deadLetterId).GetByRole(AriaRole.Button, new() { NameRegex = new("^Discard ") }))
            .ToBeDisabledAsync();
    }

    [ChromiumFact]
    public async Task FiltersAppliedWhileTheTableLoads_AreTheOnesItShows()
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, OpsWorld.MasterKey);
        await AddPoisonEntryAsync(world);
        var inNotifications = await world.WaitForDeadLetterAsync(world.Scenario.NotificationsGroup);
        var inSpreadsheets = await world.WaitForDeadLetterAsync(world.Scenario.SpreadsheetsGroup);
        await tab.WaitForDeadLetterRowAsync(inNotifications);
        await tab.WaitForDeadLetterRowAsync(inSpreadsheets);
        // The overview counts both too, so no later poll sees a change and reloads the table by itself.
        await Assertions.Expect(tab.GroupRow(world.Scenario.NotificationsGroup).Locator("td").Nth(5))
            .ToHaveTextAsync("1", Patiently);
        await Assertions.Expect(tab.GroupRow(world.Scenario.SpreadsheetsGroup).Locator("td").Nth(5))
            .ToHaveTextAsync("1", Patiently);

        // The next listing is held on its way, unfiltered, while the operator picks a group and applies it.
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listings = 0;
        await tab.Page.RouteAsync(
            url => new Uri(url).AbsolutePath.EndsWith("/dead-letters", StringComparison.Ordinal),
            async route =>
            {
                if (route.Request.Method == "GET" && Interlocked.Increment(ref listings) == 1)
                {
                    held.SetResult();
                    await release.Task;
                }
                await route.ContinueAsync();
            });
        await tab.Page.ClickAsync("#f-apply");
        await Eventually.WithinAsync(held.Task, "an unfiltered listing on its way");
        await tab.Page.SelectOptionAsync("#f-group", world.Scenario.NotificationsGroup);
        await tab.Page.ClickAsync("#f-apply");
        release.SetResult();

        await Assertions.Expect(tab.DeadLetterRow(inSpreadsheets))
            .ToHaveCountAsync(0, new() { Timeout = OpsPageSession.WaitMs });
        await Assertions.Expect(tab.DeadLetterRow(inNotifications)).ToBeVisibleAsync();
        Assert.True(Volatile.Read(ref listings) >= 2, "the filtered listing was asked for after the held one");
    }

    [ChromiumFact]
    public async Task ARareFilter_SaysItIsStillSearching_AndSearchFurtherFindsTheMatch()
    {
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString);
        // More dead letters than one page reads (2,000), the only match near the end.
        var batch = world.Scenario.Redis.CreateBatch();
        var writes = new List<Task>();
        for (var i = 0; i < 2_200; i++)
            writes.Add(batch.StreamAddAsync(world.DeadLetterStream,
            [
                new("original_id", $"{i + 1}-0"), new("stream", world.Scenario.Stream),
                new("group", world.Scenario.NotificationsGroup), new("consumer", "c"), new("delivery_count", 5),
                new("error_type", i == 2_150 ? "Rare.Failure" : "Common.Failure"),
                new("error_message", "m"), new("failed_at", "2026-12-02T13:00:00.000Z"),
            ]));
        batch.Execute();
        await Task.WhenAll(writes);
        await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, OpsWorld.MasterKey);

        await tab.Page.FillAsync("#f-error", "Rare.Failure");
        await tab.Page.ClickAsync("#f-apply");

        await Assertions.Expect(tab.Page.Locator("#dl-body"))
            .ToContainTextAsync("Nothing matches yet: searched the dead letters up to",
                new() { Timeout = OpsPageSession.WaitMs });
        await Assertions.Expect(tab.Page.Locator("#dl-more")).ToHaveTextAsync("Search further");
        await tab.Page.ClickAsync("#dl-more");
        await Assertions.Expect(tab.Page.Locator("#dl-body tr[data-id]"))
            .ToHaveCountAsync(1, new() { Timeout = OpsPageSession.WaitMs });
        await Assertions.Expect(tab.Page.Locator("#dl-body")).ToContainTextAsync("Rare.Failure");
        await Assertions.Expect(tab.Page.Locator("#dl-body td.empty")).ToHaveCountAsync(0);
    }

    [ChromiumFact]
    public async Task ScriptInOrderFieldsAndErrorText_IsShownAsTextAndNeverRuns()
    {
        const string Script = "<script>window.__opsPwned = 1</script><img src=x onerror=\"window.__opsPwned = 2\">";
        // Order fields the way a user puts them there: POST /api/orders takes any customer name up to 100 characters.
        // The outbox path is a file, so the engine itself dead-letters the order's notification with its fields.
        await using var world = await OpsWorld.StartAsync(redis.ConnectionString,
            scenario => File.WriteAllText(scenario.OutboxPath, "not a folder"));
        await using var tab = await browser.OpenAsync(world.Client.BaseAddress!, OpsWorld.MasterKey);
        using (var placed = await world.Client.PostAsJsonAsync("/api/orders", new
        {
            customerEmail = "markup@example.com",
            customerName = Script,
            items = new[] { new { sku = "BOOK-1", quantity = 1, unitPrice = 12.5m } },
        }))
            Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        var orderDeadLetterId = await world.WaitForDeadLetterAsync(world.Scenario.NotificationsGroup);
        // Error text: the dead-letter record keeps a handler's exception message as it was thrown; one with markup,
        // written as the engine writes a record, about the same original entry.
        var original = await world.OriginalFieldsAsync(orderDeadLetterId);
        var errorDeadLetterId = await world.AddDeadLetterAsync(
            world.Scenario.NotificationsGroup, "System.InvalidOperationException", "SMTP refused " + Script, original);

        var errorRow = tab.DeadLetterRow(errorDeadLetterId);
        await Assertions.Expect(errorRow.Locator(".reason")).ToHaveTextAsync("SMTP refused " + Script, Patiently);
        var orderRow = tab.DeadLetterRow(orderDeadLetterId);
        await orderRow.GetByRole(AriaRole.Button, new() { Name = "Fields of" }).ClickAsync();
        var details = tab.Page.Locator($"#dl-body tr[data-details-for=\"{orderDeadLetterId}\"]");
        await Assertions.Expect(details).ToContainTextAsync(
            "\"customerName\": \"<script>window.__opsPwned = 1</script><img src=x onerror=",
            new() { Timeout = OpsPageSession.WaitMs });

        Assert.Equal(0, await tab.Page.EvaluateAsync<int>(
            "() => document.querySelectorAll('#dl-body script, #dl-body img').length"));
        Assert.True(await tab.Page.EvaluateAsync<bool>("() => window.__opsPwned === undefined"),
            "a script from Redis ran");
    }

    /// <summary>
    /// A well-formed envelope whose payload is not an OrderPlaced: every delivery fails in both groups.
    /// </summary>
    private static async Task AddPoisonEntryAsync(OpsWorld world)
    {
        var poisonId = OrderIntake.NewOrderId();
        var entryId = (string)(await world.Scenario.Redis.StreamAddAsync(world.Scenario.Stream,
        [
            new NameValueEntry(StreamEnvelope.MessageId, poisonId),
            new NameValueEntry(StreamEnvelope.Type, OrderPlaced.MessageType),
            new NameValueEntry(StreamEnvelope.Payload, "{\"orderId\": [not json"),
        ]))!;
        await world.Scenario.Redis.StringSetAsync(OrderKeys.OrderIndex(world.Scenario.Stream, poisonId), entryId);
    }
}
