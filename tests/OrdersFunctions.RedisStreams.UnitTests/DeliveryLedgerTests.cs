using Microsoft.Extensions.Time.Testing;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.UnitTests;

public sealed class DeliveryLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 8, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly StreamSubscriberOptions _options = new()
    {
        Stream = "s",
        Group = "g",
        Consumer = "c",
        RetryBackoffInitial = TimeSpan.FromSeconds(1),
        RetryBackoffMax = TimeSpan.FromSeconds(60),
    };

    private DeliveryLedger Ledger() => new(_options, _time);

    private static PendingEntry Row(string id, TimeSpan idle, int deliveries = 1) => new(id, "c", idle, deliveries);

    [Fact]
    public void AnEntryTakenWithAReply_IsLeftAloneByTheSweep()
    {
        var ledger = Ledger();
        ledger.TakeReply([new RawEntry("1-0", [])]);

        Assert.Equal(
            OwnEntryAction.Leave,
            ledger.Judge(Row("1-0", TimeSpan.FromMinutes(5)), _time.GetUtcNow(), null).Action);
    }

    [Fact]
    public void AnEntryTheSweepClaimedMeanwhile_IsClearedFromTheReply_SoItRunsOnce()
    {
        var ledger = Ledger();
        Assert.True(ledger.TryTake("2-0"));
        var reply = new[] { new RawEntry("1-0", []), new RawEntry("2-0", []) };

        var cleared = ledger.TakeReply(reply);

        Assert.Equal(1, cleared);
        Assert.Equal("1-0", reply[0].Id);
        Assert.Null(reply[1].Id);
    }

    [Fact]
    public void ClaimingAnEntryAlreadyInFlight_IsRefused()
    {
        var ledger = Ledger();
        ledger.TakeReply([new RawEntry("1-0", [])]);

        Assert.False(ledger.TryTake("1-0"));
    }

    [Fact]
    public void AFailedEntry_IsDueAtItsBackoff_NotBefore()
    {
        var ledger = Ledger();
        ledger.TakeReply([new RawEntry("1-0", [])]);
        var due = _time.GetUtcNow() + TimeSpan.FromSeconds(1);

        ledger.Failed("1-0", due, "E", "boom");

        var early = ledger.Judge(
            Row("1-0", TimeSpan.FromMilliseconds(10)), _time.GetUtcNow(), TimeSpan.FromSeconds(10));
        Assert.Equal(OwnEntryAction.NotYet, early.Action);
        Assert.Equal(due, early.DueAt);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(
            OwnEntryAction.ClaimNow,
            ledger.Judge(Row("1-0", TimeSpan.FromSeconds(1)), _time.GetUtcNow(), TimeSpan.FromSeconds(10)).Action);
    }

    [Fact]
    public void AFailedEntry_IsJudgedByItsRetryState_EvenWhenItLooksLikePartOfTheLatestRead()
    {
        var ledger = Ledger();
        ledger.ReadSent();
        ledger.Failed("1-0", _time.GetUtcNow(), "E", "boom");

        var verdict = ledger.Judge(Row("1-0", TimeSpan.Zero), _time.GetUtcNow(), ledger.SinceLatestRead());

        Assert.Equal(OwnEntryAction.ClaimNow, verdict.Action);
    }

    [Fact]
    public void AnUnknownOwnEntry_DeliveredWithTheReadOnItsWay_IsLeftAlone()
    {
        var ledger = Ledger();
        ledger.ReadSent();
        _time.Advance(TimeSpan.FromSeconds(2));

        // Idle for less than the time since the read was sent: it may be in that read's reply.
        var verdict = ledger.Judge(Row("1-0", TimeSpan.FromSeconds(2)), _time.GetUtcNow(), ledger.SinceLatestRead());

        Assert.Equal(OwnEntryAction.Leave, verdict.Action);
    }

    [Fact]
    public void AnUnknownOwnEntry_DeliveredWellBeforeTheLatestRead_IsDueAfterTheBackoffOfItsNextDelivery()
    {
        var ledger = Ledger();
        ledger.ReadSent();
        _time.Advance(TimeSpan.FromSeconds(1));
        var now = _time.GetUtcNow();

        // Delivered twice already, 10 s ago: the third delivery waits 2 s after the last one, so it is due.
        var verdict = ledger.Judge(Row("1-0", TimeSpan.FromSeconds(10), deliveries: 2), now, ledger.SinceLatestRead());
        // Delivered 5 times, 10 s ago: the sixth waits 16 s, so 6 s more.
        var later = ledger.Judge(Row("2-0", TimeSpan.FromSeconds(10), deliveries: 5), now, ledger.SinceLatestRead());

        Assert.Equal(OwnEntryAction.ClaimNow, verdict.Action);
        Assert.Equal(OwnEntryAction.NotYet, later.Action);
        Assert.Equal(now + TimeSpan.FromSeconds(6), later.DueAt);
    }

    [Fact]
    public void Acknowledging_ForgetsTheEntry_AndItsRetryState()
    {
        var ledger = Ledger();
        ledger.Failed("1-0", _time.GetUtcNow(), "E", "boom");
        Assert.True(ledger.TryTake("1-0"));

        ledger.Acknowledged(["1-0"]);

        Assert.True(ledger.TryTake("1-0"));
        Assert.False(ledger.TryGetLastFailure("1-0", out _, out _));
    }

    [Fact]
    public void TheLastFailure_IsWhatADeadLetterReports()
    {
        var ledger = Ledger();
        ledger.Failed("1-0", _time.GetUtcNow(), "System.InvalidOperationException", "boom");

        Assert.True(ledger.TryGetLastFailure("1-0", out var type, out var message));
        Assert.Equal(("System.InvalidOperationException", "boom"), (type, message));
    }

    [Fact]
    public void EarliestDue_IsTheSoonestRetryBeforeTheGivenTime()
    {
        var ledger = Ledger();
        var now = _time.GetUtcNow();
        ledger.Failed("1-0", now + TimeSpan.FromSeconds(3), "E", "m");
        ledger.Failed("2-0", now + TimeSpan.FromSeconds(1), "E", "m");

        Assert.Equal(now + TimeSpan.FromSeconds(1), ledger.EarliestDue(now + TimeSpan.FromSeconds(5)));
        Assert.Null(ledger.EarliestDue(now + TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public void RetryStatesLongPastDue_AreForgotten()
    {
        var ledger = Ledger();
        ledger.Failed("1-0", _time.GetUtcNow(), "E", "m");
        _time.Advance(_options.ClaimMinIdle + _options.RetryBackoffMax + TimeSpan.FromMinutes(2));

        ledger.ForgetStale(_time.GetUtcNow());

        Assert.False(ledger.TryGetLastFailure("1-0", out _, out _));
    }
}
