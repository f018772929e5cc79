using Microsoft.Extensions.Time.Testing;
using OrdersFunctions.RedisStreams.Overview;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.UnitTests;

/// <summary>The shared snapshot's rules: one read in flight, at most one per interval, failures answered for one
/// interval, and background refreshes only while someone needs them. Reads are counted by a fake reader; the clock is
/// moved by hand.</summary>
public sealed class OverviewSnapshotsTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task ConcurrentReaders_ShareOneRead()
    {
        var reads = new FakeReads();
        await using var snapshots = reads.Snapshots(new FakeTimeProvider());

        var waiting = Enumerable.Range(0, 10).Select(_ => Task.Run(() => snapshots.GetAsync(Interval))).ToArray();
        await WaitUntilAsync(() => reads.Started == 1);
        reads.Open();
        var got = await Task.WhenAll(waiting);

        Assert.Equal(1, reads.Started);
        Assert.Single(got.Distinct());
    }

    [Fact]
    public async Task AReaderAskingForFresherFiguresThanTheInterval_GetsTheSnapshotOfThisInterval()
    {
        var reads = new FakeReads(finishAtOnce: true);
        var time = new FakeTimeProvider();
        await using var snapshots = reads.Snapshots(time);
        var first = await snapshots.GetAsync(TimeSpan.Zero);

        time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        var second = await snapshots.GetAsync(TimeSpan.Zero);
        time.Advance(TimeSpan.FromMilliseconds(2));
        var third = await snapshots.GetAsync(TimeSpan.Zero);

        Assert.Same(first, second);
        Assert.NotSame(first, third);
        Assert.Equal(2, reads.Started);
    }

    [Fact]
    public async Task AFailedRead_AnswersItsCallersForOneInterval_AndKeepsTheLastSnapshot()
    {
        var reads = new FakeReads(finishAtOnce: true);
        var time = new FakeTimeProvider();
        await using var snapshots = reads.Snapshots(time);
        var good = await snapshots.GetAsync(Interval);
        time.Advance(Interval + TimeSpan.FromSeconds(1));
        reads.FailWith = new RedisConnectionException(ConnectionFailureType.SocketClosed, "down (test)");

        await Assert.ThrowsAsync<RedisConnectionException>(() => snapshots.GetAsync(Interval));
        await Assert.ThrowsAsync<RedisConnectionException>(() => snapshots.GetAsync(Interval));
        Assert.Equal(2, reads.Started);
        Assert.Same(good, snapshots.Latest);

        reads.FailWith = null;
        time.Advance(Interval);
        Assert.NotSame(good, await snapshots.GetAsync(Interval));
        Assert.Equal(3, reads.Started);
    }

    [Fact]
    public async Task Peek_NeverWaits_AndStartsAReadWhenTheSnapshotIsMissingOrStale()
    {
        var reads = new FakeReads();
        var time = new FakeTimeProvider();
        await using var snapshots = reads.Snapshots(time);

        Assert.Null(snapshots.Peek(TimeSpan.FromSeconds(15)));
        await WaitUntilAsync(() => reads.Started == 1);
        reads.Open();
        await WaitUntilAsync(() => snapshots.Latest is not null);
        reads.Close();
        var first = snapshots.Latest;
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Same(first, snapshots.Peek(TimeSpan.FromSeconds(15)));
        Assert.Equal(1, reads.Started);
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Same(first, snapshots.Peek(TimeSpan.FromSeconds(15))); // without waiting for the read it starts
        await WaitUntilAsync(() => reads.Started == 2);
        Assert.Same(first, snapshots.Latest); // that read waits at the closed gate
    }

    [Fact]
    public async Task KeepFresh_RefreshesInTheBackgroundWhileHeld_AndStopsWhenReleased()
    {
        var reads = new FakeReads(finishAtOnce: true);
        var time = new WatchedTime();
        await using var snapshots = reads.Snapshots(time);

        var lease = snapshots.KeepFresh(TimeSpan.FromSeconds(15));
        await WaitUntilAsync(() => reads.Started == 1);
        await time.AdvanceWhenAsleepAsync(TimeSpan.FromSeconds(15));
        await WaitUntilAsync(() => reads.Started == 2);
        lease.Dispose();
        await time.AdvanceWhenAsleepAsync(TimeSpan.FromSeconds(15)); // the loop wakes, finds nobody, sleeps for good
        time.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(100);

        Assert.Equal(2, reads.Started);
    }

    [Fact]
    public async Task AReaderWhoAskedRecently_FindsTheNextSnapshotReady_UntilTheirInterestLapses()
    {
        var reads = new FakeReads(finishAtOnce: true);
        var time = new WatchedTime();
        await using var snapshots = reads.Snapshots(time, readerInterest: TimeSpan.FromSeconds(5));

        await snapshots.GetAsync(Interval);
        await time.AdvanceWhenAsleepAsync(Interval);
        await WaitUntilAsync(() => reads.Started == 2);
        await time.AdvanceWhenAsleepAsync(Interval);
        await WaitUntilAsync(() => reads.Started == 3);
        await time.AdvanceWhenAsleepAsync(Interval); // 6 s: the interest (5 s) has lapsed
        time.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(100);

        Assert.Equal(3, reads.Started);
        Assert.True(snapshots.Latest!.AgeAt(time.GetUtcNow()) > TimeSpan.FromMinutes(1));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the condition did not hold within 30 s");
            await Task.Delay(5);
        }
    }

    /// <summary>Reads that return an empty overview, counted; unless told to finish at once, each waits until the gate
    /// is open.</summary>
    private sealed class FakeReads(bool finishAtOnce = false)
    {
        private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;

        public int Started => Volatile.Read(ref _started);

        public Exception? FailWith { get; set; }

        public void Open() => Volatile.Read(ref _gate).TrySetResult();

        public void Close() => Volatile.Write(ref _gate, new(TaskCreationOptions.RunContinuationsAsynchronously));

        public OverviewSnapshots Snapshots(TimeProvider time, TimeSpan? readerInterest = null) =>
            new(ReadAsync, new OverviewSnapshotOptions
            {
                MinInterval = Interval,
                ReaderInterest = readerInterest ?? TimeSpan.Zero,
            }, null, time);

        private async Task<IReadOnlyList<StreamOverview>> ReadAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            if (!finishAtOnce)
                await Volatile.Read(ref _gate).Task.WaitAsync(cancellationToken);
            if (FailWith is { } failure)
                throw failure;
            return [];
        }
    }

    /// <summary>A fake clock that knows whether the snapshots' background loop is asleep on a timer, so the test moves
    /// time only then (moved earlier, the loop would start its timer from the moved time).</summary>
    private sealed class WatchedTime : FakeTimeProvider
    {
        private int _armed;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == Timeout.InfiniteTimeSpan)
                return base.CreateTimer(callback, state, dueTime, period);
            var done = 0;
            void Done()
            {
                if (Interlocked.Exchange(ref done, 1) == 0)
                    Interlocked.Decrement(ref _armed);
            }
            Interlocked.Increment(ref _armed);
            var timer = base.CreateTimer(s => { Done(); callback(s); }, state, dueTime, period);
            return new Tracked(timer, Done);
        }

        public async Task AdvanceWhenAsleepAsync(TimeSpan by)
        {
            await WaitUntilAsync(() => Volatile.Read(ref _armed) > 0);
            Advance(by);
        }

        private sealed class Tracked(ITimer inner, Action done) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

            public void Dispose()
            {
                done();
                inner.Dispose();
            }

            public ValueTask DisposeAsync()
            {
                done();
                return inner.DisposeAsync();
            }
        }
    }
}
