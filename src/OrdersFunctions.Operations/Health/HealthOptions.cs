namespace OrdersFunctions.Operations.Health;

/// <summary>Thresholds of <c>GET /api/health</c> (app settings <c>Health__MaxLag</c>,
/// <c>Health__MaxPendingAge</c>).</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>A group with more entries not yet delivered than this is unhealthy. Default 10,000.</summary>
    public long MaxLag { get; set; } = 10_000;

    /// <summary>A group whose oldest unacknowledged entry is older than this is unhealthy (a handler stuck or a
    /// consumer gone without another to claim its entries). Default 15 minutes.</summary>
    public TimeSpan MaxPendingAge { get; set; } = TimeSpan.FromMinutes(15);
}
