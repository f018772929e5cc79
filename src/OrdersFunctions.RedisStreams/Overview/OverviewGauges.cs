using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OrdersFunctions.RedisStreams.Telemetry;

namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>
/// The observable gauges of <see cref="StreamsTelemetry"/>. Created once on the engine's meter; their callbacks
/// read the latest snapshot of every running <see cref="StreamOverviewMonitor"/>, never Redis, because a gauge callback
/// runs synchronously on the exporter's thread.
/// </summary>
internal static class OverviewGauges
{
    private static readonly ConcurrentDictionary<StreamOverviewMonitor, byte> Monitors = new();
    private static int _created;

    public static void Register(StreamOverviewMonitor monitor)
    {
        EnsureCreated();
        Monitors.TryAdd(monitor, 0);
    }

    public static void Unregister(StreamOverviewMonitor monitor) => Monitors.TryRemove(monitor, out _);

    private static void EnsureCreated()
    {
        if (Interlocked.Exchange(ref _created, 1) == 1)
            return;
        var meter = StreamsTelemetry.Meter;
        meter.CreateObservableGauge(StreamsTelemetry.LagGauge, () => PerGroup(g => g.Lag), "{entry}", "Entries not yet delivered to the group.");
        meter.CreateObservableGauge(StreamsTelemetry.PendingGauge, () => PerGroup(g => g.Pending), "{entry}", "Entries delivered to the group and not acknowledged.");
        meter.CreateObservableGauge(StreamsTelemetry.OldestPendingAgeGauge, () => PerGroupDouble(g => g.OldestPendingAgeSeconds ?? 0), "s", "Age of the group's oldest unacknowledged entry.");
        meter.CreateObservableGauge(StreamsTelemetry.GroupDeadLettersGauge, () => PerGroup(g => g.DeadLetters), "{entry}", "Dead letters of the group.");
        meter.CreateObservableGauge(StreamsTelemetry.StreamLengthGauge, () => PerStream(s => s.Length), "{entry}", "Entries in the stream.");
        meter.CreateObservableGauge(StreamsTelemetry.DeadLetterLengthGauge, () => PerStream(s => s.DeadLetterLength), "{entry}", "Entries in the dead-letter stream.");
    }

    private static IEnumerable<StreamOverview> Streams() =>
        Monitors.Keys.SelectMany(m => m.Snapshot?.Streams ?? []);

    private static IEnumerable<Measurement<long>> PerStream(Func<StreamOverview, long> value) =>
        Streams().Where(s => s.Exists).Select(s => new Measurement<long>(value(s), StreamsTelemetry.StreamTags(s.Name)));

    private static IEnumerable<Measurement<long>> PerGroup(Func<GroupOverview, long?> value) =>
        Streams().SelectMany(s => s.Groups
            .Where(g => value(g) is not null)
            .Select(g => new Measurement<long>(value(g)!.Value, StreamsTelemetry.GroupTags(s.Name, g.Name))));

    private static IEnumerable<Measurement<double>> PerGroupDouble(Func<GroupOverview, double> value) =>
        Streams().SelectMany(s => s.Groups.Select(g => new Measurement<double>(value(g), StreamsTelemetry.GroupTags(s.Name, g.Name))));
}
