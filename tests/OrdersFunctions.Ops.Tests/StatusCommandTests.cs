using System.Collections;
using System.Text.Json;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.Ops.Tests;

/// <summary><c>./ops.sh status</c> through <see cref="OpsCli.RunAsync"/>, against real Redis: five entries published,
/// three delivered to one consumer of the group and one of those acknowledged, so the group's lag is 2 and 2 are
/// pending; one dead letter written by the group. The entries carry ids from 1970, older than the retention minimum
/// age, so the group (not the min-age window) holds the retention floor.</summary>
[Collection(RedisCollection.Name)]
public sealed class StatusCommandTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly string _stream = TestNames.Stream();
    private readonly string _group = TestNames.Group();
    private readonly string _consumer = TestNames.Consumer();
    private RedisConnectionFactory _connections = null!;

    public async Task InitializeAsync()
    {
        _connections = new RedisConnectionFactory(redis.ConnectionString);
        var database = (await _connections.GetSharedAsync()).GetDatabase();
        for (var i = 1; i <= 5; i++)
            await database.StreamAddAsync(_stream, "orderId", $"order-{i}", messageId: $"{i}000-0");
        await database.StreamCreateConsumerGroupAsync(_stream, _group, "0");
        var delivered = await database.StreamReadGroupAsync(_stream, _group, _consumer, ">", count: 3);
        Assert.Equal(3, delivered.Length);
        await database.StreamAcknowledgeAsync(_stream, _group, delivered[0].Id);
        await database.StreamAddAsync(_stream + ":dead-letter",
            [new NameValueEntry(DeadLetterFields.Stream, _stream), new NameValueEntry(DeadLetterFields.Group, _group)]);
        // Added by hand, not by the engine's writer: count it as the engine counts dead letters of an earlier version
        // (the overview reads the kept per-group counts and no longer scans the dead letters).
        await DeadLetterCounts.EnsureCompleteAsync(database, _stream + ":dead-letter", TimeSpan.FromDays(1));
    }

    public async Task DisposeAsync()
    {
        var database = (await _connections.GetSharedAsync()).GetDatabase();
        await database.KeyDeleteAsync([_stream, _stream + ":dead-letter"]);
        await _connections.DisposeAsync();
    }

    [Fact]
    public async Task Status_ShowsTheGroupsLagAndPending_AndItsConsumerUnderIt()
    {
        var (code, output, _) = await RunAsync("status");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.StartsWith($"{_stream}: 5 entries", output);
        Assert.Contains($"held by group {_group}", output);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var groupRow = Columns(lines.Single(l => l.StartsWith($"  {_group} ", StringComparison.Ordinal)));
        Assert.Equal([_group, "2", "2"], groupRow[..3]); // name, lag, pending
        Assert.Equal("1", groupRow[4]); // dead letters
        var consumerLine = lines[lines.FindIndex(l => l.StartsWith($"  {_group} ", StringComparison.Ordinal)) + 1];
        Assert.StartsWith($"    {_consumer} ", consumerLine);
        Assert.Equal("2", Columns(consumerLine)[1]);
        Assert.Equal("alive", Columns(consumerLine)[^1]);
    }

    [Fact]
    public async Task Status_ShowsDeadLetterCountsAsALowerBound_WhileOldDeadLettersAreStillBeingCounted()
    {
        var database = (await _connections.GetSharedAsync()).GetDatabase();
        await DeadLetterCounts.ResetAsync(database, _stream + ":dead-letter");

        var (code, output, _) = await RunAsync("status");

        Assert.Equal(ExitCodes.Ok, code);
        var groupLine = output.Split('\n').Single(l => l.StartsWith($"  {_group} ", StringComparison.Ordinal));
        Assert.Contains("≥ ", groupLine);
    }

    [Fact]
    public async Task StatusJson_HasTheOverviewContractsFields()
    {
        var (code, output, _) = await RunAsync("status", "--json");

        Assert.Equal(ExitCodes.Ok, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["generatedAt", "ageSeconds", "streams"], Names(root));
        var stream = Assert.Single(root.GetProperty("streams").EnumerateArray());
        Assert.Equal(["name", "length", "firstId", "lastId", "oldestEntryAgeSeconds", "retention", "deadLetterStream",
            "deadLetterLength", "deadLetterCountsExact", "deadLetterLastId", "groups"], Names(stream));
        Assert.Equal(["floorId", "heldBy", "minAgeSeconds", "maxAgeSeconds", "maxLength"],
            Names(stream.GetProperty("retention")));
        Assert.Equal(5, stream.GetProperty("length").GetInt64());
        Assert.Equal(_group, stream.GetProperty("retention").GetProperty("heldBy").GetString());
        Assert.Equal(1, stream.GetProperty("deadLetterLength").GetInt64());
        var group = Assert.Single(stream.GetProperty("groups").EnumerateArray());
        Assert.Equal(["name", "lag", "lagKind", "pending", "oldestPendingAgeSeconds", "deadLetters", "lastDeliveredId",
            "entriesRead", "consumerCount", "consumersNotShown", "consumerStates", "liveness", "consumers"],
            Names(group));
        Assert.Equal("exact", group.GetProperty("lagKind").GetString());
        Assert.Equal(2, group.GetProperty("lag").GetInt64());
        Assert.Equal(2, group.GetProperty("pending").GetInt64());
        Assert.Equal(1, group.GetProperty("deadLetters").GetInt64());
        var consumer = Assert.Single(group.GetProperty("consumers").EnumerateArray());
        Assert.Equal(["name", "pending", "idleSeconds", "inactiveSeconds", "state"], Names(consumer));
        Assert.Equal(_consumer, consumer.GetProperty("name").GetString());
        Assert.Equal("alive", consumer.GetProperty("state").GetString());
    }

    [Fact]
    public async Task StatusJson_ReportsTheRetentionSettingsOfTheAppsSettings()
    {
        var directory = Directory.CreateTempSubdirectory("ops-status-");
        try
        {
            var environment = new Hashtable
            {
                ["RedisConnection"] = redis.ConnectionString,
                ["OrdersStream"] = _stream,
                ["NotificationsGroup"] = _group,
                ["SpreadsheetsGroup"] = _group + "-s",
                ["RedisStreams__RetentionMaxLength"] = "1000",
            };
            File.WriteAllText(Path.Combine(directory.FullName, "local.settings.json"),
                """{ "Values": { "RedisStreams__RetentionMinAge": "00:10:00" } }""");
            var settings = OpsSettings.Load(Path.Combine(directory.FullName, "local.settings.json"), environment);

            var (code, output, _) = await RunAsync(settings, "--json", "status");

            Assert.Equal(ExitCodes.Ok, code);
            var retention = JsonDocument.Parse(output).RootElement.GetProperty("streams")[0].GetProperty("retention");
            Assert.Equal(600, retention.GetProperty("minAgeSeconds").GetDouble());
            Assert.Equal(1000, retention.GetProperty("maxLength").GetInt64());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Settings_FromTheEnvironment_OverrideTheSameSettingInLocalSettings()
    {
        var directory = Directory.CreateTempSubdirectory("ops-settings-");
        try
        {
            var file = Path.Combine(directory.FullName, "local.settings.json");
            File.WriteAllText(file,
                """{ "Values": { "RedisConnection": "127.0.0.1:6379", "RedisStreams__MaxDeliveries": "5" } }""");
            var environment = new Hashtable
            {
                ["RedisConnection"] = "127.0.0.1:6399",
                ["redisstreams__maxdeliveries"] = "7",
            };

            var settings = OpsSettings.Load(file, environment);

            Assert.Equal("127.0.0.1:6399", settings.Configuration["RedisConnection"]);
            Assert.Equal("7", settings.Configuration["RedisStreams:MaxDeliveries"]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Settings_FromABrokenLocalSettingsFile_AreRefusedInOneLine_NamingTheFileAndLine()
    {
        var directory = Directory.CreateTempSubdirectory("ops-settings-");
        try
        {
            var file = Path.Combine(directory.FullName, "local.settings.json");
            File.WriteAllText(file,
                "{\n  \"Values\": {\n" +
                "    \"OrdersStream\": \"orders-placed\"\n" +
                "    \"NotificationsGroup\": \"n\"\n  }\n}\n");

            var error = Assert.Throws<InvalidDataException>(() => OpsSettings.Load(file, new Hashtable()));

            Assert.StartsWith(file + ":4: not valid JSON", error.Message);
            Assert.DoesNotContain('\n', error.Message);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Status_WithAnUnreadableRetentionSetting_NamesItInOneLine()
    {
        var settings = AppSettings.For(
            redis.ConnectionString, _stream, _group, ("RedisStreams__RetentionMinAge", "an hour"));

        var (code, _, error) = await RunAsync(settings, "status");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("RedisStreams__RetentionMinAge", error);
    }

    [Fact]
    public async Task Status_OfAStreamThatDoesNotExist_ExitsWithNotFound_NamingTheAppsStream()
    {
        var (code, output, error) = await RunAsync("status", "--stream", _stream + ":missing");

        Assert.Equal(ExitCodes.NotFound, code);
        Assert.Equal("", output);
        Assert.Equal(
            $"No stream '{_stream}:missing' in Redis: the app reads {_stream} (leave out --stream for it).",
            error.Trim());
    }

    [Fact]
    public async Task Status_WhenRedisIsUnreachable_IsOneLineAndItsExitCode()
    {
        var settings = AppSettings.For(
            "127.0.0.1:1,connectTimeout=200,asyncTimeout=500,syncTimeout=500", _stream, _group);

        var (code, output, error) = await RunAsync(settings, "status");

        Assert.Equal(ExitCodes.RedisUnreachable, code);
        Assert.Equal("", output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("127.0.0.1:1", error);
    }

    [Fact]
    public async Task Status_WithAWordAfterIt_IsAUsageError()
    {
        var (code, _, error) = await RunAsync("status", "now");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("'now'", error);
    }

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) =>
        RunAsync(AppSettings.For(redis.ConnectionString, _stream, _group), args);

    private static async Task<(int Code, string Output, string Error)> RunAsync(
        OpsSettings settings, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await OpsCli.RunAsync(args, settings, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string[] Columns(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();
}
