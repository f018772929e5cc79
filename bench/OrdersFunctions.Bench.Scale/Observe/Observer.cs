using OrdersFunctions.Bench.Scale.Control;
using OrdersFunctions.Bench.Scale.Instances;
using OrdersFunctions.Bench.Scale.Load;
using OrdersFunctions.Bench.Scale.Mail;
using OrdersFunctions.RedisStreams.Overview;
using StackExchange.Redis;

namespace OrdersFunctions.Bench.Scale.Observe;

/// <summary>Records a <see cref="TimelineRow"/> every second, from Redis (the bounded lag and pending of each group)
/// and from the simulator's own parts; this is the run's record, apart from what the scalers read.</summary>
public sealed class Observer(string scenario, IDatabase redis, string stream, InstancePool pool, OrderLoad load,
    Mailbox mailbox, ScaleController? controller, Func<TimeSpan> clock)
{
    private readonly List<TimelineRow> _rows = [];

    public IReadOnlyList<TimelineRow> Rows
    {
        get { lock (_rows) return [.. _rows]; }
    }

    public TimelineRow? Latest
    {
        get { lock (_rows) return _rows.Count > 0 ? _rows[^1] : null; }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            var row = await SampleAsync();
            lock (_rows)
                _rows.Add(row);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    private async Task<TimelineRow> SampleAsync()
    {
        var now = clock();
        var notifications = await GroupLagReader.ReadAsync(redis, stream, AppFunctions.NotificationsGroup);
        var spreadsheets = await GroupLagReader.ReadAsync(redis, stream, AppFunctions.SpreadsheetsGroup);
        var decision = controller?.Decisions.GetValueOrDefault(AppFunctions.NotificationsGroup);
        var running = pool.Running;
        return new TimelineRow(
            scenario,
            Math.Round(now.TotalSeconds, 1),
            running,
            controller?.Desired ?? running,
            notifications?.Lag.Entries ?? 0,
            notifications?.Pending ?? 0,
            spreadsheets?.Lag.Entries ?? 0,
            spreadsheets?.Pending ?? 0,
            load.AcceptedInSecond((long)now.TotalSeconds - 1),
            mailbox.Messages,
            decision?.TargetWorkerCount,
            decision?.Rule.ToString(),
            decision?.EntriesPerInstanceSecond);
    }
}
