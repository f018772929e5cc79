using System.Diagnostics.Metrics;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>The overview (<see cref="StreamOverviewReader"/>) and its gauges (<see cref="StreamOverviewMonitor"/>)
/// report what Redis holds: built by hand with explicit ids, then read back.</summary>
[Collection(RedisCollection.Name)]
public sealed class StreamOverviewReaderTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly RedisConnectionFactory _connections = new(redis.ConnectionString);
    private IDatabase _db = null!;

    public async Task InitializeAsync() => _db = (await redis.GetConnectionAsync()).GetDatabase();

    public async Task DisposeAsync() => await _connections.DisposeAsync();

    [Fact]
    public async Task ReadAsync_ReportsStreamGroupsConsumersAndDeadLetters()
    {
        var (stream, ahead, behind) = await TwoGroupsAsync();

        var overview = await new StreamOverviewReader(_connections).ReadAsync(new StreamOverviewRequest(stream));

        Assert.True(overview.Exists);
        Assert.Equal(10, overview.Length);
        Assert.Equal("1-1", overview.FirstId);
        Assert.Equal("10-1", overview.LastId);
        Assert.True(overview.OldestEntryAgeSeconds > 1_000_000_000);
        Assert.Equal(stream + ":dead-letter", overview.DeadLetterStream);
        Assert.Equal(3, overview.DeadLetterLength);
        Assert.True(overview.DeadLetterCountsExact);
        Assert.Equal("3-1", overview.Retention.FloorId);
        Assert.Equal(behind, overview.Retention.HeldBy);
        Assert.Equal(3600, overview.Retention.MinAgeSeconds);

        var a = overview.Groups.Single(g => g.Name == ahead);
        Assert.Equal((0L, 0L, 2L, "10-1"), (a.Lag!.Value, a.Pending, a.DeadLetters, a.LastDeliveredId));
        Assert.Null(a.OldestPendingAgeSeconds);
        Assert.Equal(10, a.EntriesRead);

        var b = overview.Groups.Single(g => g.Name == behind);
        Assert.Equal((6L, 2L, 1L, "4-1"), (b.Lag!.Value, b.Pending, b.DeadLetters, b.LastDeliveredId));
        Assert.True(b.OldestPendingAgeSeconds > 1_000_000_000);
        var consumer = Assert.Single(b.Consumers);
        Assert.Equal(("slow", 2L, ConsumerState.Alive), (consumer.Name, consumer.Pending, consumer.State));
    }

    [Fact]
    public async Task ReadAsync_ConsumerNotSeenWithinClaimMinIdle_IsDeadWithPendingEntries_IdleWithout()
    {
        var (stream, ahead, behind) = await TwoGroupsAsync();
        await Task.Delay(150);

        var overview = await new StreamOverviewReader(_connections)
            .ReadAsync(new StreamOverviewRequest(stream, ClaimMinIdle: TimeSpan.FromMilliseconds(100)));

        Assert.Equal(ConsumerState.Dead, overview.Groups.Single(g => g.Name == behind).Consumers.Single().State);
        Assert.Equal(ConsumerState.Idle, overview.Groups.Single(g => g.Name == ahead).Consumers.Single().State);
    }

    [Fact]
    public async Task ReadAsync_ConsumerIdleInRedisButRecordedAsSeenBySubscriber_IsAlive()
    {
        // Redis before 7.2 keeps counting a consumer's idle time while its reads come back empty; the subscriber's
        // "seen" record is what says it is still there.
        var (stream, _, behind) = await TwoGroupsAsync();
        await Task.Delay(150);
        await _db.HashSetAsync(
            StreamKeys.ConsumersSeen(stream, behind)!, "slow", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        var overview = await new StreamOverviewReader(_connections)
            .ReadAsync(new StreamOverviewRequest(stream, ClaimMinIdle: TimeSpan.FromMilliseconds(100)));

        Assert.Equal(ConsumerState.Alive, overview.Groups.Single(g => g.Name == behind).Consumers.Single().State);
    }

    [Fact]
    public async Task ReadAsync_MissingStream_ExistsFalseWithEmptyFigures()
    {
        var overview = await new StreamOverviewReader(_connections)
            .ReadAsync(new StreamOverviewRequest(TestNames.Stream()));

        Assert.False(overview.Exists);
        Assert.Equal(0, overview.Length);
        Assert.Null(overview.FirstId);
        Assert.Null(overview.Retention.FloorId);
        Assert.Empty(overview.Groups);
    }

    [Fact]
    public async Task ReadAsync_LagRedisCannotTell_IsEstimatedFromTheCounters()
    {
        var (stream, _, behind) = await TwoGroupsAsync();
        // Deleting an entry the group has not read yet makes Redis 7 answer a nil lag. The overview no longer
        // counts the entries (a cost growing with the stream): entries-added (10) − entries-read (4), which still
        // counts the deleted one.
        await _db.StreamDeleteAsync(stream, ["6-1"]);

        var overview = await new StreamOverviewReader(_connections).ReadAsync(new StreamOverviewRequest(stream));

        var b = overview.Groups.Single(g => g.Name == behind);
        Assert.True(b.LagCounted);
        Assert.Equal(new LagEstimate(6, LagSource.Counters), b.LagEstimate);
        Assert.Equal(6, b.Lag);
    }

    [Fact]
    public async Task ReadAsync_NamesTheNewestDeadLetter_SoAReaderSeesANewOneEvenWhenAnotherWasDiscarded()
    {
        var stream = TestNames.Stream();
        var deadLetters = stream + ":dead-letter";
        await _db.StreamAddAsync(stream, "n", 1, messageId: "1-1");
        var reader = new StreamOverviewReader(_connections);
        Assert.Null((await reader.ReadAsync(new StreamOverviewRequest(stream))).DeadLetterLastId);

        var first = (string)(await _db.StreamAddAsync(deadLetters, DeadLetterFields.Group, "g"))!;
        var before = await reader.ReadAsync(new StreamOverviewRequest(stream));
        await _db.StreamDeleteAsync(deadLetters, [first]);
        var second = (string)(await _db.StreamAddAsync(deadLetters, DeadLetterFields.Group, "g"))!;
        var after = await reader.ReadAsync(new StreamOverviewRequest(stream));

        Assert.Equal((1L, first), (before.DeadLetterLength, before.DeadLetterLastId));
        Assert.Equal((1L, second), (after.DeadLetterLength, after.DeadLetterLastId));
    }

    [Fact]
    public async Task ReadAsync_GroupCreatedAtTheStartThatHasReadNothing_HasReadZeroEntries()
    {
        var stream = TestNames.Stream();
        await _db.StreamAddAsync(stream, "n", 1, messageId: "1-1");
        var group = TestNames.Group();
        // Created at 0 (as the engine does with StartPosition Beginning): Redis 7 answers a nil entries-read until it
        // reads.
        await _db.StreamCreateConsumerGroupAsync(stream, group, "0-0");

        var overview = await new StreamOverviewReader(_connections).ReadAsync(new StreamOverviewRequest(stream));

        Assert.Equal(0, overview.Groups.Single(g => g.Name == group).EntriesRead);
    }

    [Fact]
    public async Task Monitor_GaugesReportTheFiguresOfRedis()
    {
        var (stream, _, behind) = await TwoGroupsAsync();
        var seen = new List<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == StreamsTelemetry.Name)
                l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
        {
            lock (seen)
                seen.Add((i.Name, v, tags.ToArray()));
        });
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) =>
        {
            lock (seen)
                seen.Add((i.Name, v, tags.ToArray()));
        });
        listener.Start();
        await using var monitor = new StreamOverviewMonitor(
            new StreamOverviewReader(_connections), [new StreamOverviewRequest(stream)], TimeSpan.FromMinutes(10));
        monitor.Start();
        await monitor.RefreshAsync();

        listener.RecordObservableInstruments();

        double Value(string instrument, string? group = null)
        {
            lock (seen)
                return seen.Last(m => m.Instrument == instrument
                    && m.Tags.Any(t => t.Key == StreamsTelemetry.DestinationTag && (string?)t.Value == stream)
                    && (group is null
                        || m.Tags.Any(t => t.Key == StreamsTelemetry.ConsumerGroupTag && (string?)t.Value == group)))
                    .Value;
        }
        Assert.Equal(6, Value(StreamsTelemetry.LagGauge, behind));
        Assert.Equal(2, Value(StreamsTelemetry.PendingGauge, behind));
        Assert.Equal(1, Value(StreamsTelemetry.GroupDeadLettersGauge, behind));
        Assert.True(Value(StreamsTelemetry.OldestPendingAgeGauge, behind) > 1_000_000_000);
        Assert.Equal(10, Value(StreamsTelemetry.StreamLengthGauge));
        Assert.Equal(3, Value(StreamsTelemetry.DeadLetterLengthGauge));
        lock (seen)
            Assert.All(seen.Where(m => m.Instrument == StreamsTelemetry.LagGauge),
                m => Assert.Contains(m.Tags, t => t.Key == StreamsTelemetry.SystemTag && (string?)t.Value == "redis"));
    }

    [Fact]
    public async Task Monitor_Stopped_NoLongerReports()
    {
        var (stream, _, _) = await TwoGroupsAsync();
        var lengths = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == StreamsTelemetry.Name && i.Name == StreamsTelemetry.StreamLengthGauge)
                l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == StreamsTelemetry.DestinationTag && (string?)tag.Value == stream)
                    Interlocked.Increment(ref lengths);
        });
        listener.Start();
        var monitor = new StreamOverviewMonitor(
            new StreamOverviewReader(_connections), [new StreamOverviewRequest(stream)], TimeSpan.FromMinutes(10));
        monitor.Start();
        await monitor.RefreshAsync();
        await monitor.DisposeAsync();

        listener.RecordObservableInstruments();

        Assert.Equal(0, lengths);
    }

    /// <summary>
    /// Ten entries <c>1-1</c>…<c>10-1</c>. Group "ahead" read and acknowledged all of them; group "behind" read four
    /// (consumer "slow"), acknowledged <c>1-1</c> and <c>2-1</c>, and holds <c>3-1</c> and <c>4-1</c> pending. The
    /// dead-letter stream holds two dead letters of "ahead" and one of "behind", written by the engine's writer.
    /// </summary>
    private async Task<(string Stream, string Ahead, string Behind)> TwoGroupsAsync()
    {
        var stream = TestNames.Stream();
        for (var i = 1; i <= 10; i++)
            await _db.StreamAddAsync(stream, "n", i, messageId: $"{i}-1");
        var ahead = TestNames.Group("ahead");
        var behind = TestNames.Group("behind");
        await _db.StreamCreateConsumerGroupAsync(stream, ahead, "0-0");
        await _db.StreamCreateConsumerGroupAsync(stream, behind, "0-0");
        var all = await _db.StreamReadGroupAsync(stream, ahead, "fast", ">", 100);
        await _db.StreamAcknowledgeAsync(stream, ahead, all.Select(e => e.Id).ToArray());
        await _db.StreamReadGroupAsync(stream, behind, "slow", ">", 4);
        await _db.StreamAcknowledgeAsync(stream, behind, ["1-1", "2-1"]);
        // Written as the engine writes them, so the kept per-group counts include them.
        foreach (var (group, original) in new[] { (ahead, "5-1"), (ahead, "6-1"), (behind, "5-1") })
        {
            var writer = new DeadLetterWriter(stream, group, stream + ":dead-letter", TimeSpan.FromDays(1));
            var entry = new RawEntry(original, [RedisResult.Create((RedisValue)"n"), RedisResult.Create(5)]);
            var record = new DeadLetterRecord("", original, stream, group, "c", 5, "E", "m", null);
            await writer.WriteAsync(_db, entry, record);
        }
        return (stream, ahead, behind);
    }
}

/// <summary>The semantic-convention instruments the subscriber records beside its own.</summary>
[Collection(RedisCollection.Name)]
public sealed class MessagingConventionMetricsTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Subscriber_RecordsProcessDurationInSecondsAndConsumedMessages_WithMessagingTags()
    {
        var stream = TestNames.Stream();
        var group = TestNames.Group();
        var consumed = 0L;
        var durations = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == StreamsTelemetry.Name
                && i.Name is StreamsTelemetry.ConsumedMessagesCounter or StreamsTelemetry.ProcessDurationHistogram)
                l.EnableMeasurementEvents(i);
        };
        static bool Ours(ReadOnlySpan<KeyValuePair<string, object?>> tags, string group)
        {
            foreach (var tag in tags)
                if (tag.Key == StreamsTelemetry.ConsumerGroupTag && (string?)tag.Value == group) return true;
            return false;
        }
        listener.SetMeasurementEventCallback<long>((_, v, tags, _) =>
        {
            if (Ours(tags, group))
                Interlocked.Add(ref consumed, v);
        });
        listener.SetMeasurementEventCallback<double>((_, v, tags, _) =>
        {
            if (Ours(tags, group))
                lock (durations)
                    durations.Add(v);
        });
        listener.Start();
        await using var connections = new RedisConnectionFactory(redis.ConnectionString);
        var publisher = new StreamPublisher(connections);
        await using var subscriber = new StreamSubscriber(connections,
            new StreamSubscriberOptions { Stream = stream, Group = group, Consumer = TestNames.Consumer() },
            async (_, ct) => await Task.Delay(20, ct));
        await subscriber.StartAsync();

        for (var i = 0; i < 3; i++)
            await publisher.PublishAsync(stream, new OutgoingMessage("T", new byte[] { 1 }));

        await Eventually.HoldsAsync(() => Interlocked.Read(ref consumed) == 3, "three deliveries counted");
        await Eventually.HoldsAsync(
            () => { lock (durations) return durations.Count == 3; }, "three durations recorded");
        // seconds: the 20 ms handler would read 20+ in milliseconds
        lock (durations)
            Assert.All(durations, d => Assert.InRange(d, 0.015, 10));
    }
}
