using Microsoft.Azure.WebJobs.Host.Scale;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>One sample of a consumer group's backlog, as the scale controller stores and compares them.</summary>
public sealed class RedisStreamGroupMetrics : ScaleMetrics
{
    /// <summary>Entries in the stream not yet delivered to the group (XINFO GROUPS <c>lag</c>).</summary>
    public long Lag { get; set; }

    /// <summary>Entries delivered to the group but not acknowledged: in flight or waiting for a retry.</summary>
    public long Pending { get; set; }

    /// <summary>The work waiting for this group: <see cref="Lag"/> + <see cref="Pending"/>.</summary>
    public long Backlog => Lag + Pending;
}
