using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using OrdersFunctions.RedisStreams.Overview;

namespace OrdersFunctions.App.Ops;

/// <summary>
/// The JSON of the operations API, exactly as docs/ops-api.md lays it out: camelCase, absent values written as null,
/// ages in seconds, times ISO 8601 UTC. Written here rather than left to the host's serializer settings, so the
/// Functions host and the local host answer the same bytes.
/// </summary>
public static class OpsJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static ContentResult Ok(object body, int status = 200) => new()
    {
        StatusCode = status,
        ContentType = "application/json; charset=utf-8",
        Content = JsonSerializer.Serialize(body, Options),
    };

    public static object Overview(DateTimeOffset generatedAt, IEnumerable<StreamOverview> streams) => StreamOverviewContract.Of(generatedAt, streams);

    public static object Health(HealthReport report) => new
    {
        status = report.Healthy ? "healthy" : "unhealthy",
        checks = report.Checks.Select(c => new { name = c.Name, status = c.Healthy ? "healthy" : "unhealthy", detail = c.Detail }),
    };
}
