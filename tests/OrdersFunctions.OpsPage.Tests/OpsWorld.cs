using System.Net.Http.Json;
using System.Text.Json;
using OrdersFunctions.App.Tests;
using OrdersFunctions.RedisStreams.DeadLetters;
using StackExchange.Redis;

namespace OrdersFunctions.OpsPage.Tests;

/// <summary>
/// One page test's world: an <see cref="AppScenario"/> (own stream, groups, folder) whose local host requires the
/// master key <see cref="MasterKey"/>, an HTTP client that sends it, and the browser tab on the ops page.
/// </summary>
public sealed class OpsWorld : IAsyncDisposable
{
    public const string MasterKey = "ops-page-test-master-key";

    private OpsWorld(AppScenario scenario, HttpClient client)
    {
        Scenario = scenario;
        Client = client;
    }

    public AppScenario Scenario { get; }

    /// <summary>Sends the master key on every request (it is accepted on Function-level routes too).</summary>
    public HttpClient Client { get; }

    public string DeadLetterStream => Scenario.Stream + ":dead-letter";

    public static async Task<OpsWorld> StartAsync(string redisConnection, Action<AppScenario>? configure = null,
        [System.Runtime.CompilerServices.CallerMemberName] string testName = "")
    {
        var scenario = new AppScenario(redisConnection, testName);
        scenario.Settings["LocalHost__MasterKey"] = MasterKey;
        configure?.Invoke(scenario);
        var client = await scenario.StartHostAsync();
        client.DefaultRequestHeaders.Add("x-functions-key", MasterKey);
        return new OpsWorld(scenario, client);
    }

    /// <summary>The ids of the dead-letter entries of <paramref name="group"/>, read straight from Redis.</summary>
    public async Task<List<string>> DeadLetterIdsAsync(string group)
    {
        var entries = await Scenario.Redis.StreamRangeAsync(DeadLetterStream);
        return entries.Where(e => e[DeadLetterFields.Group] == group).Select(e => (string)e.Id!).ToList();
    }

    /// <summary>Waits for a dead-letter entry of <paramref name="group"/> and returns its id.</summary>
    public async Task<string> WaitForDeadLetterAsync(string group)
    {
        var ids = new List<string>();
        await RedisStreams.Testing.Eventually.HoldsAsync(async () => (ids = await DeadLetterIdsAsync(group)).Count > 0,
            $"a dead letter of group {group} in {DeadLetterStream}", timeout: TimeSpan.FromSeconds(60));
        return ids[0];
    }

    /// <summary>
    /// The state of <paramref name="orderId"/> in <paramref name="group"/> per <c>GET /api/orders/{id}</c>.
    /// </summary>
    public async Task<string?> OrderStateAsync(string orderId, string group)
    {
        var status = await Client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");
        return status.GetProperty("groups").TryGetProperty(group, out var g)
            ? g.GetProperty("state").GetString()
            : null;
    }

    /// <summary>
    /// The fields of the original entry a dead-letter entry carries (everything after the bookkeeping).
    /// </summary>
    public async Task<NameValueEntry[]> OriginalFieldsAsync(string deadLetterId)
    {
        var entry = (await Scenario.Redis.StreamRangeAsync(DeadLetterStream, deadLetterId, deadLetterId)).Single();
        string[] bookkeeping =
        [
            DeadLetterFields.OriginalId, DeadLetterFields.Stream, DeadLetterFields.Group, DeadLetterFields.Consumer,
            DeadLetterFields.DeliveryCount, DeadLetterFields.ErrorType, DeadLetterFields.ErrorMessage,
            DeadLetterFields.FailedAt,
        ];
        return entry.Values.Where(v => !bookkeeping.Contains((string)v.Name!)).ToArray();
    }

    /// <summary>
    /// Writes a dead-letter entry as the engine does (bookkeeping fields, then the original entry's fields).
    /// </summary>
    public async Task<string> AddDeadLetterAsync(
        string group, string errorType, string errorMessage, params NameValueEntry[] originalFields)
    {
        NameValueEntry[] bookkeeping =
        [
            new(DeadLetterFields.OriginalId, "1-0"),
            new(DeadLetterFields.Stream, Scenario.Stream),
            new(DeadLetterFields.Group, group),
            new(DeadLetterFields.Consumer, "ops-page-test"),
            new(DeadLetterFields.DeliveryCount, 3),
            new(DeadLetterFields.ErrorType, errorType),
            new(DeadLetterFields.ErrorMessage, errorMessage),
            new(DeadLetterFields.FailedAt,
                DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
        ];
        return (string)(await Scenario.Redis.StreamAddAsync(DeadLetterStream, [.. bookkeeping, .. originalFields]))!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Scenario.DisposeAsync();
    }
}
