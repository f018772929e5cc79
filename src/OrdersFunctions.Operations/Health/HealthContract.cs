namespace OrdersFunctions.Operations.Health;

/// <summary><c>GET /api/health</c>'s body (docs/ops-api.md): a status and one entry per check.</summary>
public static class HealthContract
{
    public static object Of(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new
        {
            status = report.Healthy ? "healthy" : "unhealthy",
            figuresAgeSeconds = report.FiguresAgeSeconds is { } age ? Math.Round(age, 3) : (double?)null,
            checks = report.Checks.Select(c =>
                new { name = c.Name, status = c.Healthy ? "healthy" : "unhealthy", detail = c.Detail }),
        };
    }
}
