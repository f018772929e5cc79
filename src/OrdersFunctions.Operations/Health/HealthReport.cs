namespace OrdersFunctions.Operations.Health;

/// <summary>The app's health: each check with its outcome.</summary>
public sealed record HealthReport(bool Healthy, IReadOnlyList<HealthCheckResult> Checks)
{
    /// <summary>How old the shared overview figures behind the checks were (oldest pending age, a lag Redis cannot
    /// tell); null when none were known yet.</summary>
    public double? FiguresAgeSeconds { get; init; }
}

/// <summary>One check: its name, outcome and a short detail without internals.</summary>
public sealed record HealthCheckResult(string Name, bool Healthy, string? Detail);
