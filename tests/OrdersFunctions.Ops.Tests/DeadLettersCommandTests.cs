using System.Text;
using System.Text.Json;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.Ops.Tests;

/// <summary><c>./ops.sh dead-letters …</c> through <see cref="OpsCli.RunAsync"/>, against real Redis and dead letters
/// written by a real subscriber (one delivery allowed, so a failure dead-letters at once).</summary>
[Collection(RedisCollection.Name)]
public sealed class DeadLettersCommandTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly string _stream = TestNames.Stream();
    private readonly string _group = TestNames.Group();
    private RedisConnectionFactory _connections = null!;
    private StreamSubscriber _subscriber = null!;
    private volatile bool _failing = true;
    private int _runs;

    public async Task InitializeAsync()
    {
        _connections = new RedisConnectionFactory(redis.ConnectionString);
        _subscriber = new StreamSubscriber(_connections, new StreamSubscriberOptions
        {
            Stream = _stream,
            Group = _group,
            Consumer = TestNames.Consumer(),
            MaxDeliveries = 1,
            BlockTimeout = TimeSpan.FromMilliseconds(200),
            ClaimInterval = TimeSpan.FromMilliseconds(100),
        }, (_, _) =>
        {
            Interlocked.Increment(ref _runs);
            return _failing
                ? throw new InvalidOperationException("SMTP server refused the recipient")
                : Task.CompletedTask;
        });
        await _subscriber.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _subscriber.DisposeAsync();
        var database = (await _connections.GetSharedAsync()).GetDatabase();
        await database.KeyDeleteAsync([_stream, _stream + ":dead-letter"]);
        await _connections.DisposeAsync();
    }

    [Fact]
    public async Task List_ShowsTheDeadLetter_AsATable()
    {
        var entryId = await DeadLetterOneAsync();

        var (code, output, _) = await RunAsync("dead-letters", "list", "--group", _group);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.StartsWith("ID", output);
        Assert.Contains(entryId, output);
        Assert.Contains("order-1", output);
        Assert.Contains("SMTP server refused the recipient", output);
    }

    [Fact]
    public async Task List_ShowsADeadLetterHoldingTheHostsRpcText_WithoutStackFramesOrPaths()
    {
        var database = (await _connections.GetSharedAsync()).GetDatabase();
        await HostRpcDeadLetter.AddAsync(database, _stream + ":dead-letter", _stream, _group);

        var (code, json, _) = await RunAsync("--json", "dead-letters", "list");
        var (_, table, _) = await RunAsync("dead-letters", "list");

        Assert.Equal(ExitCodes.Ok, code);
        var item = Assert.Single(JsonDocument.Parse(json).RootElement.GetProperty("items").EnumerateArray());
        // Written by an earlier version that stored the host's report as it came: one line, no frames, no paths.
        Assert.Contains(HostRpcText.WorkerMessage, item.GetProperty("errorMessage").GetString());
        Assert.DoesNotContain(":line ", json + table);
        Assert.DoesNotContain("/_/", json + table);
        Assert.Contains("Error converting", table);
    }

    [Fact]
    public async Task Cancelled_PrintsOneLine_AndExits130()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await OpsCli.RunAsync(
            ["dead-letters", "list"], AppSettings.For(redis.ConnectionString, _stream, _group), output, error,
            new CancellationToken(canceled: true));

        Assert.Equal(130, code);
        Assert.Equal("Cancelled.", error.ToString().Trim());
    }

    [Fact]
    public async Task ListJson_GivesTheContractItemShape()
    {
        var entryId = await DeadLetterOneAsync();

        var (code, output, _) = await RunAsync("--json", "dead-letters", "list");

        Assert.Equal(ExitCodes.Ok, code);
        var item = Assert.Single(JsonDocument.Parse(output).RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(entryId, item.GetProperty("originalId").GetString());
        Assert.Equal(_group, item.GetProperty("group").GetString());
        Assert.Equal("order-1", item.GetProperty("orderId").GetString());
        Assert.Equal(0, item.GetProperty("replays").GetInt32());
    }

    [Fact]
    public async Task Discard_KeepsTheOutcomeForTheDeadLetterMaxAgeSetting()
    {
        var entryId = await DeadLetterOneAsync();
        var id = (await OnlyIdAsync())!;
        var settings = AppSettings.For(
            redis.ConnectionString, _stream, _group, ("RedisStreams__DeadLetterMaxAge", "02:00:00"));

        var code = await OpsCli.RunAsync(
            ["dead-letters", "discard", id], settings, new StringWriter(), new StringWriter());

        Assert.Equal(ExitCodes.Ok, code);
        var database = (await _connections.GetSharedAsync()).GetDatabase();
        var ttl = await database.KeyTimeToLiveAsync(DeadLetterKeys.Outcome(_stream + ":dead-letter", _group, entryId));
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(1), TimeSpan.FromHours(2));
    }

    [Fact]
    public async Task Replay_HandsTheMessageBackToItsGroup_AndASecondReplayIsAConflict()
    {
        await DeadLetterOneAsync();
        var id = (await OnlyIdAsync())!;
        _failing = false;

        var (code, output, _) = await RunAsync("dead-letters", "replay", id);
        var (again, _, error) = await RunAsync("dead-letters", "replay", id);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("replayed to group", output);
        await Eventually.HoldsAsync(() => Volatile.Read(ref _runs) == 2, "the group handles the replay");
        Assert.Equal(ExitCodes.Conflict, again);
        Assert.Contains("already replayed", error);
    }

    [Fact]
    public async Task Discard_RemovesTheDeadLetter()
    {
        await DeadLetterOneAsync();
        var id = (await OnlyIdAsync())!;

        var (code, _, _) = await RunAsync("dead-letters", "discard", id);
        var (show, _, error) = await RunAsync("dead-letters", "show", id);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(ExitCodes.NotFound, show);
        Assert.Contains("No dead letter", error);
    }

    [Fact]
    public async Task ReplayAll_DryRun_CountsAndChangesNothing()
    {
        await DeadLetterOneAsync();

        var (code, output, _) = await RunAsync(
            "--json", "dead-letters", "replay", "--all", "--group", _group, "--dry-run");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(1, JsonDocument.Parse(output).RootElement.GetProperty("matched").GetInt32());
        Assert.NotNull(await OnlyIdAsync());
    }

    [Fact]
    public async Task ReplayOfAnUnknownId_ExitsWithNotFound()
    {
        var (code, _, error) = await RunAsync("dead-letters", "replay", "1-1");

        Assert.Equal(ExitCodes.NotFound, code);
        Assert.Contains("No dead letter '1-1'", error);
    }

    [Theory]
    [InlineData("show")]
    [InlineData("replay")]
    [InlineData("discard")]
    public async Task AnIdOfTheWrongShape_GetsTheSameHint_WhateverTheAction(string action)
    {
        var (code, _, error) = await RunAsync("dead-letters", action, "not-an-id");

        Assert.Equal(ExitCodes.NotFound, code);
        Assert.Equal(
            "No dead letter 'not-an-id': dead-letter ids look like 1700000000000-0; " +
            "list them with './ops.sh dead-letters list' or GET /api/ops/dead-letters.",
            error.Trim());
    }

    [Fact]
    public async Task DiscardAll_WithoutYes_AndNoTerminal_IsRefused_AndChangesNothing()
    {
        await DeadLetterOneAsync();

        var (code, _, error) = await RunAsync("dead-letters", "discard", "--all", "--group", _group);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("add --yes to go ahead", error);
        Assert.NotNull(await OnlyIdAsync());
    }

    [Fact]
    public async Task DiscardAll_WithYes_Discards()
    {
        await DeadLetterOneAsync();

        var (code, output, _) = await RunAsync("dead-letters", "discard", "--all", "--group", _group, "--yes");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.StartsWith("1 matched: 0 replayed, 1 discarded", output);
        Assert.Null(await OnlyIdAsync());
    }

    [Fact]
    public async Task DiscardAll_OnATerminal_ShowsTheCountAndDiscardsOnlyWhenConfirmed()
    {
        await DeadLetterOneAsync();
        var declining = new AnsweringConsole("no");
        var confirming = new AnsweringConsole("yes");

        var (declined, _, error) = await RunAsync(declining, "dead-letters", "discard", "--all", "--group", _group);
        Assert.Equal(ExitCodes.NotConfirmed, declined);
        Assert.Contains("nothing changed", error);
        Assert.NotNull(await OnlyIdAsync());
        var (confirmed, _, _) = await RunAsync(confirming, "dead-letters", "discard", "--all", "--group", _group);

        Assert.Equal(ExitCodes.Ok, confirmed);
        Assert.Equal(
            "1 dead letter(s) match. Discard them? Type 'yes' to go on: ", Assert.Single(confirming.Questions));
        Assert.Null(await OnlyIdAsync());
    }

    [Fact]
    public async Task Recount_AfterDeadLettersWereDeletedByHand_MakesTheCountsExactAgain()
    {
        var id = await DeadLetterOneAsync();
        var database = (await _connections.GetSharedAsync()).GetDatabase();
        var deadLetter = (await OnlyIdAsync())!;
        await database.StreamDeleteAsync(_stream + ":dead-letter", [deadLetter]); // behind the counts' back
        Assert.Equal(1, (await DeadLetterCounts.ReadAsync(database, _stream + ":dead-letter")).For(_stream, _group));

        var (code, output, _) = await RunAsync("dead-letters", "recount");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.StartsWith($"Counted the dead letters in {_stream}:dead-letter again: 0 in 0 group(s).", output);
        Assert.Equal(0, (await DeadLetterCounts.ReadAsync(database, _stream + ":dead-letter")).For(_stream, _group));
        Assert.NotNull(id);
    }

    [Fact]
    public async Task AGroupTheAppDoesNotRead_IsAUsageError_NamingItsGroups()
    {
        var (code, _, error) = await RunAsync("dead-letters", "list", "--group", "no-such-group");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(
            $"--group: 'no-such-group' is not a group of {_stream}: its groups are {_group}-spreadsheets, {_group}.",
            error);
    }

    [Fact]
    public async Task UnreachableRedis_IsOneLineAndItsExitCode()
    {
        var settings = AppSettings.For(
            "127.0.0.1:1,connectTimeout=200,asyncTimeout=500,syncTimeout=500", _stream, _group);
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await OpsCli.RunAsync(["dead-letters", "list"], settings, output, error);

        Assert.Equal(ExitCodes.RedisUnreachable, code);
        Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("127.0.0.1:1", error.ToString());
    }

    [Fact]
    public async Task UnknownOption_IsAUsageError()
    {
        var (code, _, error) = await RunAsync("dead-letters", "list", "--colour", "red");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--colour", error);
    }

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) =>
        RunAsync(OpsConsole.None, args);

    private async Task<(int Code, string Output, string Error)> RunAsync(OpsConsole console, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await OpsCli.RunAsync(
            args, AppSettings.For(redis.ConnectionString, _stream, _group), output, error, default, console);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A person at a terminal who answers every question the same way.</summary>
    private sealed class AnsweringConsole(string answer) : OpsConsole
    {
        public List<string> Questions { get; } = [];

        public override bool IsInteractive => true;

        public override string? Ask(string question)
        {
            Questions.Add(question);
            return answer;
        }
    }

    private async Task<string> DeadLetterOneAsync()
    {
        var publisher = new StreamPublisher(_connections);
        var entryId = await publisher.PublishAsync(
            _stream, new OutgoingMessage("OrderPlaced", Encoding.UTF8.GetBytes("{\"orderId\":\"order-1\"}")));
        await Eventually.HoldsAsync(async () => await OnlyIdAsync() is not null, "the entry is dead-lettered");
        return entryId;
    }

    private async Task<string?> OnlyIdAsync()
    {
        var database = (await _connections.GetSharedAsync()).GetDatabase();
        var entries = await database.StreamRangeAsync(_stream + ":dead-letter");
        return entries.Length == 1 ? (string?)entries[0].Id : null;
    }
}
