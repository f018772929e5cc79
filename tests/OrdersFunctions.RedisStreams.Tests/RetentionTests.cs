using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Retention;
using OrdersFunctions.RedisStreams.Telemetry;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>
/// Retention to the safe floor of every group (<see cref="StreamRetention"/>) against real Redis. "Hours old" entries
/// are written with explicit ids from 1970 (<c>{n}-1</c>), so the one-hour minimum age has long passed without
/// sleeping. Redis trims whole macro-nodes (100 entries) with <c>~</c>, so assertions about what is kept are exact
/// (every entry at or above the floor) and about what is removed allow a node of slack.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RetentionTests(RedisServerFixture redis) : IAsyncLifetime
{
    private const int NodeSlack = 100;
    private static readonly RetentionPolicy OneHour =
        new(TimeSpan.FromHours(1), DeadLetterMaxAge: TimeSpan.FromDays(14));
    private readonly RedisConnectionFactory _connections = new(redis.ConnectionString);
    private IDatabase _db = null!;

    public async Task InitializeAsync() => _db = (await redis.GetConnectionAsync()).GetDatabase();

    public async Task DisposeAsync() => await _connections.DisposeAsync();

    [Fact]
    public async Task StoppedGroup_HoldsEveryEntryItHasNotAcknowledged()
    {
        var stream = TestNames.Stream();
        await AddOldEntriesAsync(stream, 1_000);
        var running = await GroupThatAcknowledgesAsync(stream, "running", 1_000);
        var stopped = await GroupThatAcknowledgesAsync(stream, "stopped", 500);

        var result = await new StreamRetention(_connections).TrimAsync(stream, null, OneHour);

        Assert.Equal(stopped, result.Floor!.HeldBy);
        Assert.Equal("500-2", result.Floor.FloorId);
        Assert.Equal(500, await CountFromAsync(stream, "501-1"));
        Assert.InRange(await _db.StreamLengthAsync(stream), 500, 500 + NodeSlack);
        Assert.NotEqual(running, result.Floor.HeldBy);
    }

    [Fact]
    public async Task GroupRemovedWithXGroupDestroy_NoLongerHoldsTheFloor()
    {
        var stream = TestNames.Stream();
        await AddOldEntriesAsync(stream, 1_000);
        await GroupThatAcknowledgesAsync(stream, "running", 1_000);
        var stopped = await GroupThatAcknowledgesAsync(stream, "stopped", 0);
        var retention = new StreamRetention(_connections);
        await retention.TrimAsync(stream, null, OneHour);
        Assert.Equal(1_000, await _db.StreamLengthAsync(stream));

        await _db.StreamDeleteConsumerGroupAsync(stream, stopped);
        await retention.TrimAsync(stream, null, OneHour);

        Assert.InRange(await _db.StreamLengthAsync(stream), 0, NodeSlack);
    }

    [Fact]
    public async Task MinimumAge_KeepsAcknowledgedEntriesYoungerThanIt()
    {
        var stream = TestNames.Stream();
        await AddOldEntriesAsync(stream, 300);
        var recent = new List<string>();
        for (var i = 0; i < 300; i++)
            recent.Add((string)(await _db.StreamAddAsync(stream, "f", "recent"))!);
        await GroupThatAcknowledgesAsync(stream, "all", 600);

        var result = await new StreamRetention(_connections).TrimAsync(stream, null, OneHour);

        Assert.Null(result.Floor!.HeldBy);
        Assert.Equal(300, await CountFromAsync(stream, recent[0]));
        Assert.InRange(await _db.StreamLengthAsync(stream), 300, 300 + NodeSlack);
    }

    [Fact]
    public async Task PendingEntry_HoldsTheFloorAfterLaterEntriesAreAcknowledged()
    {
        var stream = TestNames.Stream();
        await AddOldEntriesAsync(stream, 1_000);
        var group = TestNames.Group();
        await _db.StreamCreateConsumerGroupAsync(stream, group, "0-0");
        var read = await _db.StreamReadGroupAsync(stream, group, "c", ">", 1_000);
        await _db.StreamAcknowledgeAsync(stream, group, read.Where(e => e.Id != "200-1").Select(e => e.Id).ToArray());

        var result = await new StreamRetention(_connections).TrimAsync(stream, null, OneHour);

        Assert.Equal("200-1", result.Floor!.FloorId);
        Assert.Equal(group, result.Floor.HeldBy);
        Assert.Equal(801, await CountFromAsync(stream, "200-1"));
    }

    [Fact]
    public async Task SafetyValveMaxAge_TrimsPastALaggingGroup_AndLogsAndCountsWhatItLost()
    {
        var stream = TestNames.Stream();
        await AddOldEntriesAsync(stream, 1_000);
        var lagging = TestNames.Group("lagging");
        await _db.StreamCreateConsumerGroupAsync(stream, lagging, "0-0");
        await _db.StreamReadGroupAsync(stream, lagging, "c", ">", 10); // 10 pending, 990 never delivered
        var logger = new RecordingLogger();
        using var lost = new CounterRecorder(StreamsTelemetry.LostCounter);

        var result = await new StreamRetention(_connections, logger)
            .TrimAsync(stream, null, OneHour with { MaxAge = TimeSpan.FromHours(2) });

        Assert.Equal(0, await _db.StreamLengthAsync(stream));
        Assert.Equal(new GroupLoss(lagging, 1_000), Assert.Single(result.Losses));
        var warning = Assert.Single(logger.At(LogLevel.Warning));
        Assert.Contains(lagging, warning);
        Assert.Contains("lost 1000", warning);
        Assert.Equal(1_000, lost.SumFor(StreamsTelemetry.ConsumerGroupTag, lagging));
    }

    [Fact]
    public async Task SafetyValveMaxLength_KeepsThatManyNewestEntries_EvenPastALaggingGroup()
    {
        var stream = TestNames.Stream();
        await AddOldEntriesAsync(stream, 1_000);
        var lagging = await GroupThatAcknowledgesAsync(stream, "lagging", 0);

        var result = await new StreamRetention(_connections).TrimAsync(stream, null, OneHour with { MaxLength = 100 });

        Assert.Equal(100, await _db.StreamLengthAsync(stream));
        Assert.Equal(new GroupLoss(lagging, 900), Assert.Single(result.Losses));
    }

    [Fact]
    public async Task WithoutAValve_NothingALaggingGroupHasNotReadIsTrimmed_AndNothingIsReportedLost()
    {
        var stream = TestNames.Stream();
        await AddOldEntriesAsync(stream, 500);
        await GroupThatAcknowledgesAsync(stream, "lagging", 0);
        var logger = new RecordingLogger();

        var result = await new StreamRetention(_connections, logger).TrimAsync(stream, null, OneHour);

        Assert.Equal(500, await _db.StreamLengthAsync(stream));
        Assert.Empty(result.Losses);
        Assert.Empty(logger.At(LogLevel.Warning));
    }

    [Fact]
    public async Task DeadLetterStream_IsTrimmedByDeadLetterMaxAge_WhateverTheGroups()
    {
        var stream = TestNames.Stream();
        var deadLetters = stream + ":dead-letter";
        await AddOldEntriesAsync(deadLetters, 300);
        var recent = new List<string>();
        for (var i = 0; i < 5; i++)
            recent.Add((string)(await _db.StreamAddAsync(deadLetters, "group", "g"))!);

        var result = await new StreamRetention(_connections).TrimAsync(stream, deadLetters, OneHour);

        Assert.InRange(result.DeadLettersTrimmed, 300 - NodeSlack, 300);
        Assert.Equal(5, await CountFromAsync(deadLetters, recent[0]));
    }

    [Fact]
    public async Task OneRun_TrimsMoreThanRedisDefaultApproximateLimit()
    {
        // XTRIM ~ without LIMIT removes at most 10,000 entries per call; a group catching up must not leave the rest.
        var stream = TestNames.Stream();
        await AddOldEntriesAsync(stream, 30_000);
        await GroupThatAcknowledgesAsync(stream, "all", 30_000);

        var result = await new StreamRetention(_connections).TrimAsync(stream, null, OneHour);

        Assert.InRange(result.Trimmed, 30_000 - NodeSlack, 30_000);
    }

    [Fact]
    public async Task ConcurrentTrims_RemoveNothingAnyGroupStillNeeds()
    {
        var stream = TestNames.Stream();
        await AddOldEntriesAsync(stream, 1_000);
        await GroupThatAcknowledgesAsync(stream, "running", 1_000);
        await GroupThatAcknowledgesAsync(stream, "stopped", 500);

        var results = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => new StreamRetention(_connections).TrimAsync(stream, null, OneHour)));

        Assert.All(results, r => Assert.Equal("500-2", r.Floor!.FloorId));
        Assert.Equal(500, await CountFromAsync(stream, "501-1"));
        Assert.InRange(await _db.StreamLengthAsync(stream), 500, 500 + NodeSlack);
        Assert.InRange(results.Sum(r => r.Trimmed), 500 - NodeSlack, 500);
    }

    [Fact]
    public async Task Subscriber_WithRetentionOn_TrimsWhatItsGroupHasAcknowledged()
    {
        var stream = TestNames.Stream();
        await AddOldEntriesAsync(stream, 500, envelope: true);
        var options = new StreamSubscriberOptions
        {
            Stream = stream,
            Group = TestNames.Group(),
            Consumer = TestNames.Consumer(),
            Retention = true,
            RetentionInterval = TimeSpan.FromMilliseconds(50),
            ClaimInterval = TimeSpan.FromMilliseconds(50),
            BlockTimeout = TimeSpan.FromMilliseconds(100),
        };
        var handled = 0;
        await using var subscriber = new StreamSubscriber(_connections, options, (_, _) =>
        {
            Interlocked.Increment(ref handled);
            return Task.CompletedTask;
        });
        await subscriber.StartAsync();

        await Eventually.HoldsAsync(async () => await _db.StreamLengthAsync(stream) <= NodeSlack,
            "the subscriber's sweep trims the entries its group acknowledged",
            async () => $"length {await _db.StreamLengthAsync(stream)}, handled {Volatile.Read(ref handled)}");
    }

    [Fact]
    public async Task Subscriber_WithRetentionOff_TrimsNothing()
    {
        var stream = TestNames.Stream();
        await AddOldEntriesAsync(stream, 300, envelope: true);
        var group = TestNames.Group();
        var options = new StreamSubscriberOptions
        {
            Stream = stream, Group = group, Consumer = TestNames.Consumer(),
            RetentionInterval = TimeSpan.FromMilliseconds(50), ClaimInterval = TimeSpan.FromMilliseconds(50),
        };
        await using var subscriber = new StreamSubscriber(_connections, options, (_, _) => Task.CompletedTask);
        await subscriber.StartAsync();
        await Eventually.HoldsAsync(
            async () => (await _db.StreamGroupInfoAsync(stream)).Single().LastDeliveredId == "300-1"
                && (await _db.StreamPendingAsync(stream, group)).PendingMessageCount == 0,
            "every entry handled");
        await subscriber.StopAsync();

        Assert.Equal(300, await _db.StreamLengthAsync(stream));
    }

    private async Task AddOldEntriesAsync(string stream, int count, bool envelope = false)
    {
        var batch = _db.CreateBatch();
        var adds = new List<Task>();
        for (var i = 1; i <= count; i++)
        {
            NameValueEntry[] fields = envelope ? EnvelopeFields(i) : [new("n", i)];
            adds.Add(batch.StreamAddAsync(stream, fields, messageId: $"{i}-1"));
        }
        batch.Execute();
        await Task.WhenAll(adds);
    }

    private static NameValueEntry[] EnvelopeFields(int i) =>
    [
        new(StreamEnvelope.MessageId, $"m-{i}"),
        new(StreamEnvelope.Type, "T"),
        new(StreamEnvelope.Payload, new byte[] { (byte)i }),
    ];

    /// <summary>A group created at 0 that has read and acknowledged the first <paramref name="acknowledged"/>
    /// entries.</summary>
    private async Task<string> GroupThatAcknowledgesAsync(string stream, string role, int acknowledged)
    {
        var group = TestNames.Group(role);
        await _db.StreamCreateConsumerGroupAsync(stream, group, "0-0");
        // In pages: one XREADGROUP of 30,000 entries can outlast the client's 5 s command timeout on a loaded machine.
        const int Page = 1_000;
        for (var read = 0; read < acknowledged;)
        {
            var entries = await _db.StreamReadGroupAsync(stream, group, "c", ">", Math.Min(Page, acknowledged - read));
            Assert.NotEmpty(entries); // the stream holds fewer entries than the test asked the group to acknowledge
            await _db.StreamAcknowledgeAsync(stream, group, entries.Select(e => e.Id).ToArray());
            read += entries.Length;
        }
        return group;
    }

    private async Task<long> CountFromAsync(string stream, string fromId) =>
        (await _db.StreamRangeAsync(stream, fromId, "+")).Length;

    /// <summary>Sums a counter's measurements per tag value while alive.</summary>
    private sealed class CounterRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(long Value, KeyValuePair<string, object?>[] Tags)> _measurements = [];

        public CounterRecorder(string instrument)
        {
            _listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == StreamsTelemetry.Name && i.Name == instrument) l.EnableMeasurementEvents(i);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                lock (_measurements) _measurements.Add((value, tags.ToArray()));
            });
            _listener.Start();
        }

        public long SumFor(string tag, string value)
        {
            lock (_measurements)
                return _measurements
                    .Where(m => m.Tags.Any(t => t.Key == tag && (string?)t.Value == value))
                    .Sum(m => m.Value);
        }

        public void Dispose() => _listener.Dispose();
    }
}
