using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests.Operations;

/// <summary>Dead letters listed, shown, replayed and discarded through <see cref="DeadLetterStore"/>, against real
/// Redis and real subscribers (each failure dead-letters at once: one delivery allowed).</summary>
[Collection(RedisCollection.Name)]
public sealed class DeadLetterStoreTests(RedisServerFixture redis)
{
    [Fact]
    public async Task List_FiltersByGroupAndErrorType_OldestFirst()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var (a, b) = (TestNames.Group("a"), TestNames.Group("b"));
        await world.StartGroupAsync<InvalidOperationException>(a, failing: true);
        await world.StartGroupAsync<ArgumentException>(b, failing: true);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add(await world.PublishAsync(i));
        await world.WaitForDeadLettersAsync(a, 3);
        await world.WaitForDeadLettersAsync(b, 3);

        var page = await world.Store().ListAsync(new DeadLetterQuery
        {
            DeadLetterStream = world.DeadLetterStream,
            Group = a,
            ErrorType = typeof(InvalidOperationException).FullName,
        });

        Assert.Equal(ids, page.Items.Select(d => d.Record.OriginalId));
        Assert.All(page.Items, d => Assert.Equal(a, d.Record.Group));
        Assert.Null(page.Next);
        var none = await world.Store().ListAsync(new DeadLetterQuery
        {
            DeadLetterStream = world.DeadLetterStream, Group = a, ErrorType = "System.ArgumentException",
        });
        Assert.Empty(none.Items);
    }

    [Fact]
    public async Task List_PagesWithTheNextCursor_AndFiltersOnFailedAt()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var group = TestNames.Group();
        await world.StartGroupAsync(group, failing: true);
        for (var i = 0; i < 5; i++)
            await world.PublishAsync(i);
        var all = await world.WaitForDeadLettersAsync(group, 5);
        var store = world.Store();

        var first = await store.ListAsync(new DeadLetterQuery { DeadLetterStream = world.DeadLetterStream, Limit = 2 });
        var second = await store.ListAsync(
            new DeadLetterQuery { DeadLetterStream = world.DeadLetterStream, Limit = 2, After = first.Next });
        var third = await store.ListAsync(
            new DeadLetterQuery { DeadLetterStream = world.DeadLetterStream, Limit = 2, After = second.Next });
        var future = await store.ListAsync(new DeadLetterQuery
        {
            DeadLetterStream = world.DeadLetterStream, From = DateTimeOffset.UtcNow.AddMinutes(5),
        });
        var past = await store.ListAsync(
            new DeadLetterQuery { DeadLetterStream = world.DeadLetterStream, To = all[0].Record.FailedAt });

        Assert.Equal(all.Select(d => d.Id), first.Items.Concat(second.Items).Concat(third.Items).Select(d => d.Id));
        Assert.Empty(future.Items);
        Assert.Equal(all[0].Id, Assert.Single(past.Items).Id);
    }

    [Fact]
    public async Task List_WithARareFilter_ScansABoundedWindowPerPage_AndContinuesWithNext()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var db = await world.DatabaseAsync();
        for (var i = 0; i < 1_200; i++)
            await db.StreamAddAsync(world.DeadLetterStream,
            [
                new NameValueEntry(DeadLetterFields.OriginalId, $"{i + 1}-0"),
                new NameValueEntry(DeadLetterFields.Stream, world.Stream),
                new NameValueEntry(DeadLetterFields.Group, "g"),
                new NameValueEntry(DeadLetterFields.ErrorType, i == 1_100 ? "Rare" : "Common"),
            ]);
        var store = world.Store(new DeadLetterStoreOptions { MaxScanPerPage = 500 });
        var query = new DeadLetterQuery { DeadLetterStream = world.DeadLetterStream, ErrorType = "Rare" };

        var first = await store.ListAsync(query);
        var second = await store.ListAsync(query with { After = first.Next });
        var third = await store.ListAsync(query with { After = second.Next });

        // Each page reads at most 500 dead letters: the first two find nothing yet and say where to go on.
        Assert.Empty(first.Items);
        Assert.NotNull(first.Next);
        Assert.Empty(second.Items);
        Assert.NotNull(second.Next);
        Assert.Equal("1101-0", Assert.Single(third.Items).Record.OriginalId);
        Assert.Null(third.Next);
    }

    [Fact]
    public async Task List_WithTheEarliestAndLatestTimes_MatchesEverything()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var group = TestNames.Group();
        await world.StartGroupAsync(group, failing: true);
        await world.PublishAsync(1);
        var all = await world.WaitForDeadLettersAsync(group, 1);

        var page = await world.Store().ListAsync(new DeadLetterQuery
        {
            DeadLetterStream = world.DeadLetterStream,
            From = DateTimeOffset.Parse("0001-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            To = DateTimeOffset.Parse("9999-12-31T23:59:30Z", System.Globalization.CultureInfo.InvariantCulture),
        });

        Assert.Equal(all.Select(d => d.Id), page.Items.Select(d => d.Id));
    }

    [Fact]
    public async Task Get_ReturnsTheRecordWithTheOriginalFields()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var group = TestNames.Group();
        await world.StartGroupAsync(group, failing: true);
        var entryId = await world.PublishAsync(7);
        var listed = Assert.Single(await world.WaitForDeadLettersAsync(group, 1));

        var shown = await world.Store().GetAsync(world.DeadLetterStream, listed.Id);

        Assert.NotNull(shown);
        Assert.Equal(entryId, shown.Record.OriginalId);
        Assert.Equal(world.Stream, shown.Record.Stream);
        Assert.Equal(typeof(InvalidOperationException).FullName, shown.Record.ErrorType);
        Assert.Contains(shown.OriginalFields, f => f.Key == StreamEnvelope.Type && f.Value == "T");
        Assert.Equal("order-7", shown.PayloadProperty("orderId"));
        Assert.Null(await world.Store().GetAsync(world.DeadLetterStream, "1-1"));
    }

    [Fact]
    public async Task Replay_ReachesOnlyTheGroupThatGaveUp()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var (failing, healthy) = (TestNames.Group("failing"), TestNames.Group("healthy"));
        await world.StartGroupAsync(failing, failing: true);
        await world.StartGroupAsync(healthy, failing: false);
        var entryId = await world.PublishAsync(1);
        var deadLetter = Assert.Single(await world.WaitForDeadLettersAsync(failing, 1));
        await world.WaitForDrainedAsync(healthy);
        world.Fail(failing, false);

        var result = await world.Store().ReplayAsync(world.DeadLetterStream, deadLetter.Id);

        Assert.Equal(DeadLetterActionStatus.Replayed, result.Status);
        await Eventually.HoldsAsync(
            () => world.Runs(failing).Count == 2, "the failing group's handler runs the replay");
        await world.WaitForDrainedAsync(healthy);
        await world.WaitForDrainedAsync(failing);
        Assert.Single(world.Runs(healthy));
        var runs = world.Runs(failing);
        Assert.Equal(runs[0].MessageId, runs[1].MessageId);
        Assert.Equal(result.NewEntryId, runs[1].EntryId);
        Assert.Null(await world.Store().GetAsync(world.DeadLetterStream, deadLetter.Id));
        Assert.NotEqual(entryId, result.NewEntryId);
    }

    [Fact]
    public async Task Replay_ManyConcurrentCalls_WriteExactlyOneNewEntry()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var group = TestNames.Group();
        await world.StartGroupAsync(group, failing: true);
        await world.PublishAsync(1);
        var deadLetter = Assert.Single(await world.WaitForDeadLettersAsync(group, 1));
        var stores = Enumerable.Range(0, 4)
            .Select(_ => new DeadLetterStore(new RedisConnectionFactory(redis.ConnectionString)))
            .ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => stores[i % stores.Length].ReplayAsync(world.DeadLetterStream, deadLetter.Id))));

        Assert.Single(results, r => r.Status == DeadLetterActionStatus.Replayed);
        Assert.All(
            results.Where(r => r.Status != DeadLetterActionStatus.Replayed),
            r => Assert.Equal(DeadLetterActionStatus.AlreadyHandled, r.Status));
        var database = await world.DatabaseAsync();
        var entries = await database.StreamRangeAsync(world.Stream);
        Assert.Single(entries, e => e.Values.Any(v => v.Name == ReplayFields.Of));
    }

    [Fact]
    public async Task Replay_WhoseXAddReplyIsLost_KeepsReplaying_SoASecondReplayIsRefused()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var group = TestNames.Group();
        await world.StartGroupAsync(group, failing: true);
        await world.PublishAsync(1);
        var deadLetter = Assert.Single(await world.WaitForDeadLettersAsync(group, 1));
        var lostReply = new DeadLetterStore(new InterceptedXAddConnectionFactory(world.Connections, async sent =>
        {
            await sent; // Redis has the entry; the reply never arrives.
            throw new RedisTimeoutException("Timeout awaiting response (test)", CommandStatus.Sent);
        }));

        var first = await lostReply.ReplayAsync(world.DeadLetterStream, deadLetter.Id);
        var second = await world.Store().ReplayAsync(world.DeadLetterStream, deadLetter.Id);

        Assert.Equal(DeadLetterActionStatus.OutcomeUnknown, first.Status);
        Assert.Equal(DeadLetterActionStatus.AlreadyHandled, second.Status);
        Assert.Equal(DeadLetterOutcomeKind.Replaying, second.Existing?.Kind);
        Assert.NotNull(await world.Store().GetAsync(world.DeadLetterStream, deadLetter.Id));
        var entries = await (await world.DatabaseAsync()).StreamRangeAsync(world.Stream);
        Assert.Single(entries, e => e.Values.Any(v => v.Name == ReplayFields.Of));
    }

    [Fact]
    public async Task Replay_WhoseXAddIsRefusedByRedis_GivesTheDeadLetterBack()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var group = TestNames.Group();
        await world.StartGroupAsync(group, failing: true);
        await world.PublishAsync(1);
        var deadLetter = Assert.Single(await world.WaitForDeadLettersAsync(group, 1));
        world.Fail(group, false);
        var refused = new DeadLetterStore(new InterceptedXAddConnectionFactory(world.Connections,
            _ => Task.FromException<RedisValue>(new RedisServerException("ERR refused (test)"))));

        await Assert.ThrowsAsync<RedisServerException>(() =>
            refused.ReplayAsync(world.DeadLetterStream, deadLetter.Id));
        var retry = await world.Store().ReplayAsync(world.DeadLetterStream, deadLetter.Id);

        Assert.Equal(DeadLetterActionStatus.Replayed, retry.Status);
    }

    [Fact]
    public async Task Replay_OfADeadLetterWithoutASourceStream_IsRefused_AndLeavesItAlone()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var group = TestNames.Group();
        await world.StartGroupAsync(group, failing: true);
        await world.PublishAsync(1);
        var deadLetter = Assert.Single(await world.WaitForDeadLettersAsync(group, 1));
        var database = await world.DatabaseAsync();
        var fields = (await database.StreamRangeAsync(world.DeadLetterStream, deadLetter.Id, deadLetter.Id))[0].Values
            .Where(f => f.Name != DeadLetterFields.Stream).ToArray();
        var foreignId = (string)(await database.StreamAddAsync(world.DeadLetterStream, fields))!;

        var single = await world.Store().ReplayAsync(world.DeadLetterStream, foreignId);
        var bulk = await world.Store().ReplayMatchingAsync(
            new DeadLetterQuery { DeadLetterStream = world.DeadLetterStream }, dryRun: false);

        Assert.Equal(DeadLetterActionStatus.NoSourceStream, single.Status);
        Assert.Equal(2, bulk.Matched);
        Assert.Equal(1, bulk.Replayed);
        Assert.Equal(1, bulk.Skipped);
        Assert.NotNull(await world.Store().GetAsync(world.DeadLetterStream, foreignId));
    }

    [Fact]
    public async Task Replay_ThatFinishesAfterAForcedTakeover_DoesNotOverwriteTheTakeoversOutcome()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var group = TestNames.Group();
        await world.StartGroupAsync(group, failing: true);
        await world.PublishAsync(1);
        var deadLetter = Assert.Single(await world.WaitForDeadLettersAsync(group, 1));
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new DeadLetterStore(new InterceptedXAddConnectionFactory(world.Connections, async reply =>
        {
            var newId = await reply;
            sent.SetResult();
            await release.Task;
            return newId;
        }));
        // An hour later the slow replay's marker is stale, so a forced replay takes it over.
        var later = new DeadLetterStore(world.Connections, time: new ShiftedTime(TimeSpan.FromHours(1)));

        var slowReplay = slow.ReplayAsync(world.DeadLetterStream, deadLetter.Id);
        await sent.Task;
        var takeover = await later.ReplayAsync(world.DeadLetterStream, deadLetter.Id, force: true);
        release.SetResult();
        await slowReplay;

        Assert.Equal(DeadLetterActionStatus.Replayed, takeover.Status);
        var outcome = await world.Store().GetOutcomeAsync(world.DeadLetterStream, group, deadLetter.Record.OriginalId);
        Assert.Equal(takeover.NewEntryId, outcome?.NewEntryId);
    }

    private sealed class ShiftedTime(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }

    [Fact]
    public async Task Replay_AtTheCap_IsRefusedUnlessForced()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var group = TestNames.Group();
        await world.StartGroupAsync(group, failing: true);
        await world.PublishAsync(1);
        var store = world.Store(new DeadLetterStoreOptions { ReplayCap = 1 });
        var first = Assert.Single(await world.WaitForDeadLettersAsync(group, 1));
        Assert.Equal(
            DeadLetterActionStatus.Replayed, (await store.ReplayAsync(world.DeadLetterStream, first.Id)).Status);
        var again = Assert.Single(await world.WaitForDeadLettersAsync(group, 1));
        Assert.Equal(1, again.Replays);

        var refused = await store.ReplayAsync(world.DeadLetterStream, again.Id);
        var forced = await store.ReplayAsync(world.DeadLetterStream, again.Id, force: true);

        Assert.Equal(DeadLetterActionStatus.ReplayCapReached, refused.Status);
        Assert.Equal(DeadLetterActionStatus.Replayed, forced.Status);
        Assert.Equal(2, forced.Replays);
    }

    [Fact]
    public async Task Discard_RemovesTheDeadLetter_AndLaterReplayOrDiscardIsAConflict()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var group = TestNames.Group();
        await world.StartGroupAsync(group, failing: true);
        await world.PublishAsync(1);
        var deadLetter = Assert.Single(await world.WaitForDeadLettersAsync(group, 1));
        var store = world.Store();

        var discarded = await store.DiscardAsync(world.DeadLetterStream, deadLetter.Id);
        var replay = await store.ReplayAsync(world.DeadLetterStream, deadLetter.Id);
        var discardAgain = await store.DiscardAsync(world.DeadLetterStream, deadLetter.Id);

        Assert.Equal(DeadLetterActionStatus.Discarded, discarded.Status);
        Assert.Null(await store.GetAsync(world.DeadLetterStream, deadLetter.Id));
        Assert.Equal(DeadLetterActionStatus.AlreadyHandled, replay.Status);
        Assert.Equal(DeadLetterOutcomeKind.Discarded, replay.Existing?.Kind);
        Assert.Equal(DeadLetterActionStatus.AlreadyHandled, discardAgain.Status);
    }

    [Fact]
    public async Task Replay_OfAReplayedDeadLetter_IsAConflict()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var group = TestNames.Group();
        await world.StartGroupAsync(group, failing: true);
        await world.PublishAsync(1);
        var deadLetter = Assert.Single(await world.WaitForDeadLettersAsync(group, 1));
        world.Fail(group, false);
        var store = world.Store();
        var replayed = await store.ReplayAsync(world.DeadLetterStream, deadLetter.Id);

        var again = await store.ReplayAsync(world.DeadLetterStream, deadLetter.Id);

        Assert.Equal(DeadLetterActionStatus.AlreadyHandled, again.Status);
        Assert.Equal(DeadLetterOutcomeKind.Replayed, again.Existing?.Kind);
        Assert.Equal(replayed.NewEntryId, again.Existing?.NewEntryId);
        Assert.Equal(group, again.Group);
    }

    [Fact]
    public async Task ReplayAndDiscard_OfAnUnknownId_AreNotFound()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var store = world.Store();

        Assert.Equal(DeadLetterActionStatus.NotFound, (await store.ReplayAsync(world.DeadLetterStream, "1-1")).Status);
        Assert.Equal(
            DeadLetterActionStatus.NotFound, (await store.DiscardAsync(world.DeadLetterStream, "not-an-id")).Status);
    }

    [Fact]
    public async Task ReplayMatching_DryRunCounts_ThenReplaysEachOnce()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var group = TestNames.Group();
        await world.StartGroupAsync(group, failing: true);
        for (var i = 0; i < 3; i++)
            await world.PublishAsync(i);
        await world.WaitForDeadLettersAsync(group, 3);
        world.Fail(group, false);
        var store = world.Store();
        var query = new DeadLetterQuery { DeadLetterStream = world.DeadLetterStream, Group = group };

        var dry = await store.ReplayMatchingAsync(query, dryRun: true);
        var real = await store.ReplayMatchingAsync(query, dryRun: false);

        Assert.Equal(new DeadLetterBulkResult(3, DryRun: true), dry);
        Assert.Equal(new DeadLetterBulkResult(3, DryRun: false, Replayed: 3), real);
        await Eventually.HoldsAsync(() => world.Runs(group).Count == 6, "each dead letter handled again once");
    }

    [Fact]
    public async Task EntryStatus_FollowsTheReplay_ToDone()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var group = TestNames.Group();
        await world.StartGroupAsync(group, failing: true);
        var entryId = await world.PublishAsync(1);
        var deadLetter = Assert.Single(await world.WaitForDeadLettersAsync(group, 1));
        Assert.Equal(
            EntryState.DeadLettered, (await world.Inspector.GetEntryStatusAsync(world.Stream, group, entryId)).State);
        world.Fail(group, false);

        var replayed = await world.Store().ReplayAsync(world.DeadLetterStream, deadLetter.Id);

        await world.WaitForDrainedAsync(group);
        var status = await world.Inspector.GetEntryStatusAsync(world.Stream, group, entryId);
        Assert.Equal(EntryState.Done, status.State);
        Assert.Equal(replayed.NewEntryId, status.ReplayedAs);
    }

    [Fact]
    public async Task EntryStatus_AfterADiscard_IsDiscarded()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var group = TestNames.Group();
        await world.StartGroupAsync(group, failing: true);
        var entryId = await world.PublishAsync(1);
        var deadLetter = Assert.Single(await world.WaitForDeadLettersAsync(group, 1));

        await world.Store().DiscardAsync(world.DeadLetterStream, deadLetter.Id);

        Assert.Equal(
            EntryState.Discarded, (await world.Inspector.GetEntryStatusAsync(world.Stream, group, entryId)).State);
    }

    [Fact]
    public async Task EntryStatus_OfAReplayThatFailedAgain_IsDeadLettered()
    {
        await using var world = new DeadLetterWorld(redis.ConnectionString);
        var group = TestNames.Group();
        await world.StartGroupAsync(group, failing: true);
        var entryId = await world.PublishAsync(1);
        var deadLetter = Assert.Single(await world.WaitForDeadLettersAsync(group, 1));

        var replayed = await world.Store().ReplayAsync(world.DeadLetterStream, deadLetter.Id);

        var again = Assert.Single(await world.WaitForDeadLettersAsync(group, 1));
        Assert.Equal(replayed.NewEntryId, again.Record.OriginalId);
        var status = await world.Inspector.GetEntryStatusAsync(world.Stream, group, entryId);
        Assert.Equal(EntryState.DeadLettered, status.State);
    }
}
