using System.Diagnostics.Metrics;
using OrdersFunctions.RedisStreams.Telemetry;

namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>
/// The observable gauges of <see cref="StreamsTelemetry"/>. Created once on the engine's meter; their callbacks
/// read the latest snapshot of every <see cref="OverviewSnapshots"/> a running <see cref="StreamOverviewMonitor"/>
/// reports, never Redis, because a gauge callback runs synchronously on the exporter's thread.
/// </summary>
internal static class OverviewGauges
{
    // Snapshot services being reported, each with how many monitors report it (a shared one is reported once).
    private static readonly Dictionary<OverviewSnapshots, int> Sources = [];
    private static int _created;

    public static void Register(OverviewSnapshots snapshots)
    {
        EnsureCreated();
        lock (Sources)
            Sources[snapshots] = Sources.GetValueOrDefault(snapshots) + 1;
    }

    public static void Unregister(OverviewSnapshots snapshots)
    {
        lock (Sources)
        {
            var count = Sources.GetValueOrDefault(snapshots) - 1;
            if (count > 0)
                Sources[snapshots] = count;
            else
                Sources.Remove(snapshots);
        }
    }

    private static void EnsureCreated()
    {
        if (Interlocked.Exchange(ref _created, 1) == 1)
            return;
        var meter = StreamsTelemetry.Meter;
        meter.CreateObservableGauge(StreamsTelemetry.LagGauge, () => PerGroup(g => g.Lag), "{entry}",
            "Entries not yet delivered to the group.");
        meter.CreateObservableGauge(StreamsTelemetry.PendingGauge, () => PerGroup(g => g.Pending), "{entry}",
            "Entries delivered to the group and not acknowledged.");
        meter.CreateObservableGauge(StreamsTelemetry.OldestPendingAgeGauge,
            () => PerGroupDouble(g => g.OldestPendingAgeSeconds ?? 0), "s",
            "Age of the group's oldest unacknowledged entry.");
        meter.CreateObservableGauge(StreamsTelemetry.GroupDeadLettersGauge, () => PerGroup(g => g.DeadLetters),
            "{entry}", "Dead letters of the group.");
        meter.CreateObservableGauge(StreamsTelemetry.StreamLengthGauge, () => PerStream(s => s.Length), "{entry}",
            "Entries in the stream.");
        meter.CreateObservableGauge(StreamsTelemetry.DeadLetterLengthGauge, () => PerStream(s => s.DeadLetterLength),
            "{entry}", "Entries in the dead-letter stream.");
    }

    private static IEnumerable<StreamOverview> Streams()
    {
        OverviewSnapshots[] sources;
        lock (Sources)
            sources = [.. Sources.Keys];
        return sources.SelectMany(s => s.Latest?.Streams ?? []);
    }

    private static IEnumerable<Measurement<long>> PerStream(Func<StreamOverview, long> value) =>
        Streams()
            .Where(s => s.Exists)
            .Select(s => new Measurement<long>(value(s), StreamsTelemetry.StreamTags(s.Name)));

    private static IEnumerable<Measurement<long>> PerGroup(Func<GroupOverview, long?> value) =>
        Streams().SelectMany(s => s.Groups
            .Where(g => value(g) is not null)
            .Select(g => new Measurement<long>(value(g)!.Value, StreamsTelemetry.GroupTags(s.Name, g.Name))));

    private static IEnumerable<Measurement<double>> PerGroupDouble(Func<GroupOverview, double> value) =>
        Streams().SelectMany(s => s.Groups
            .Select(g => new Measurement<double>(value(g), StreamsTelemetry.GroupTags(s.Name, g.Name))));
}
