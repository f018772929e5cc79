using Microsoft.Azure.WebJobs.Host.Scale;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>One sample of a consumer group's backlog and progress, as the scale controller stores and compares them.
/// Each sample carries what a throughput needs (a counter, a time, the working instances), so the monitor can
/// measure one from the samples the host hands back.</summary>
public sealed class RedisStreamGroupMetrics : ScaleMetrics
{
    /// <summary>Entries in the stream not yet delivered to the group, bounded (see
    /// <see cref="Overview.LagEstimate"/>); a lower bound when <see cref="LagSource"/> is <c>AtLeast</c>.</summary>
    public long Lag { get; set; }

    /// <summary>Entries delivered to the group but not acknowledged: in flight or waiting for a retry.</summary>
    public long Pending { get; set; }

    /// <summary>The work waiting for this group: <see cref="Lag"/> + <see cref="Pending"/>.</summary>
    public long Backlog => Lag + Pending;

    /// <summary>XINFO GROUPS <c>entries-read</c>; null when Redis keeps no counter for the group.</summary>
    public long? EntriesRead { get; set; }

    /// <summary>Entries the group has read and settled (acknowledged, dead-lettered or skipped):
    /// <see cref="EntriesRead"/> − <see cref="Pending"/>. Its growth between samples is the group's
    /// throughput.</summary>
    public long? Settled => EntriesRead - Pending;

    /// <summary>Entries that reached the group: <see cref="EntriesRead"/> + <see cref="Lag"/> (the stream's
    /// entries-added, as the group sees it). Its growth between samples is how fast entries arrive.</summary>
    public long? Arrived => EntriesRead + Lag;

    /// <summary>Consumers that received entries within the throughput window: the instances doing the work.</summary>
    public int ActiveConsumers { get; set; }

    /// <summary>Which rule gave <see cref="Lag"/>: <c>Reported</c>, <c>Counters</c>, <c>Counted</c> or
    /// <c>AtLeast</c>.</summary>
    public string LagSource { get; set; } = nameof(Overview.LagSource.Reported);
}
