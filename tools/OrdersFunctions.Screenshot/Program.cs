using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OrdersFunctions.Screenshot;
using StackExchange.Redis;

// Writes docs/ops-page.png (docs/ops-page.md): the ops page of a real run with the app's own stream and group names.
// Usage: dotnet run --project tools/OrdersFunctions.Screenshot
const string OrdersStream = "orders-placed";
var root = FindRepositoryRoot();
// bin/{Configuration}/net10.0: the app and the local host were built in the same configuration as this tool.
var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";
if (!File.Exists(chromium))
{
    Console.Error.WriteLine(
        $"chromium not found at {chromium}: sudo apt-get install -y chromium (or set CHROMIUM_PATH)");
    return 1;
}
var screenshot = Path.Combine(root, "docs", "ops-page.png");
var work = Directory.CreateTempSubdirectory("orders-screenshot-").FullName;
try
{
    Step($"Starting redis-server on 127.0.0.1 (files in {work})");
    await using var redis = await LocalRedisServer.StartAsync(work);
    Step("Starting the app under the local host, as ./run.sh does");
    var settings = WriteSettings(redis.ConnectionString);
    await using var app = await LocalApp.StartAsync(root, configuration, settings, LocalRedisServer.FreeLoopbackPort());
    using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    Step("Opening /api/ops in chromium: its charts sample while the page is open");
    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = chromium,
        Headless = true,
        // --no-sandbox: root (as in CI) cannot use chromium's sandbox.
        Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
    });
    // The laptop screen the page must be readable on (docs/ops-page.md), as in its browser tests.
    var page = await browser.NewPageAsync(new BrowserNewPageOptions
    {
        ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
    });
    await page.GotoAsync(new Uri(app.BaseAddress, "api/ops").ToString());
    await page.Locator("#groups-body tr[data-group=\"notifications\"]").WaitForAsync(Patiently());

    Step("Placing 5 waves of 40 orders, 4 s apart");
    var orders = new List<string>();
    for (var wave = 0; wave < 5; wave++)
    {
        if (wave > 0)
            await Task.Delay(TimeSpan.FromSeconds(4));
        for (var n = 1; n <= 40; n++)
            orders.Add(await PlaceOrderAsync(http, wave * 40 + n));
    }
    foreach (var order in orders)
        await WaitForAsync($"order {order} done in both groups", async () => await BothGroupsDoneAsync(http, order));

    // As README.md shows it: an entry whose payload is not JSON fails in both groups until it is dead-lettered (5
    // deliveries with the sample's backoff: about 15 s).
    Step("Adding a poison entry; waiting until both groups dead-letter it (about 15 s)");
    await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
    {
        await connection.GetDatabase().StreamAddAsync(OrdersStream,
        [
            new("message_id", "poison-1"), new("type", "OrderPlaced"), new("payload", "{\"orderId\":\"not json"),
            new("headers", "{}"),
        ]);
    }
    var notifications = await WaitForDeadLetterAsync(http, "notifications", replays: 0);
    var spreadsheets = await WaitForDeadLetterAsync(http, "spreadsheets", replays: 0);

    Step($"Replaying {notifications} and discarding {spreadsheets} on the page");
    await PressAndConfirmAsync(page, notifications, "Replay");
    await PressAndConfirmAsync(page, spreadsheets, "Discard");
    Step("Waiting until the replay fails again and is dead-lettered (about 15 s)");
    var again = await WaitForDeadLetterAsync(http, "notifications", replays: 1);
    await page.Locator($"#dl-body tr[data-id=\"{again}\"]").WaitForAsync(Patiently());
    // Two more polls, so the charts end at the current figures.
    await Task.Delay(TimeSpan.FromSeconds(4));
    await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
    Step($"Wrote {Path.GetRelativePath(Directory.GetCurrentDirectory(), screenshot)}");
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

string WriteSettings(string redisConnection)
{
    // The sample's settings, as ./run.sh uses them, with this run's Redis and data folder.
    var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "local.settings.sample.json")))!;
    var values = settings["Values"]!;
    values["RedisConnection"] = redisConnection;
    values["Spreadsheet__CsvPath"] = Path.Combine(work, "orders.csv");
    values["Notifications__OutboxPath"] = Path.Combine(work, "outbox");
    var path = Path.Combine(work, "local.settings.json");
    File.WriteAllText(path, settings.ToJsonString());
    return path;
}

static async Task<string> PlaceOrderAsync(HttpClient http, int n)
{
    string[] names =
        ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth"];
    var order = new
    {
        customerEmail = $"customer{n}@example.com",
        customerName = names[(n - 1) % names.Length],
        items = new[]
        {
            new { sku = "BOOK-1", quantity = 2, unitPrice = 12.5m },
            new { sku = $"PEN-{n}", quantity = n, unitPrice = 1.99m },
        },
    };
    using var response = await http.PostAsJsonAsync("/api/orders", order);
    var body = await response.Content.ReadAsStringAsync();
    if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
        throw new InvalidOperationException($"POST /api/orders answered {(int)response.StatusCode}: {body}");
    return JsonDocument.Parse(body).RootElement.GetProperty("orderId").GetString()!;
}

static async Task<bool> BothGroupsDoneAsync(HttpClient http, string order)
{
    var status = await http.GetFromJsonAsync<JsonElement>($"/api/orders/{order}");
    var groups = status.GetProperty("groups");
    return new[] { "notifications", "spreadsheets" }.All(g =>
        groups.TryGetProperty(g, out var state) && state.GetProperty("state").GetString() == "done");
}

static async Task<string> WaitForDeadLetterAsync(HttpClient http, string group, int replays)
{
    string? id = null;
    await WaitForAsync($"a dead letter of {group} replayed {replays} times", async () =>
    {
        var page = await http.GetFromJsonAsync<JsonElement>($"/api/ops/dead-letters?group={group}");
        id = page.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("replays").GetInt32() == replays)
            .Select(i => i.GetProperty("id").GetString())
            .FirstOrDefault();
        return id is not null;
    });
    return id!;
}

static async Task PressAndConfirmAsync(IPage page, string deadLetterId, string button)
{
    // The row's buttons are labelled "Replay {id} to {group}" and "Discard {id}"; the result shows in the row.
    var row = page.Locator($"#dl-body tr[data-id=\"{deadLetterId}\"]");
    await row.WaitForAsync(Patiently());
    await row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^" + button + " ") }).ClickAsync();
    await page.Locator("#confirm-ok").ClickAsync();
    var done = button == "Replay" ? "Replayed" : "Discarded";
    await row.Locator(".result-cell").GetByText(done).WaitForAsync(Patiently());
}

static LocatorWaitForOptions Patiently() => new() { Timeout = 60_000 };

static async Task WaitForAsync(string what, Func<Task<bool>> condition)
{
    var clock = Stopwatch.StartNew();
    while (!await condition())
    {
        if (clock.Elapsed > TimeSpan.FromSeconds(90))
            throw new TimeoutException($"Waited 90 s for {what}.");
        await Task.Delay(250);
    }
}

static void Step(string what) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {what}");

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "OrdersFunctions.sln")))
            return dir.FullName;
    }
    throw new InvalidOperationException($"No OrdersFunctions.sln above {AppContext.BaseDirectory}.");
}
