using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using OrdersFunctions.RedisStreams;

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

    public static object Overview(DateTimeOffset generatedAt, IEnumerable<StreamOverview> streams) => new
    {
        generatedAt = Time(generatedAt),
        streams = streams.Select(s => new
        {
            name = s.Name,
            length = s.Length,
            firstId = s.FirstId,
            lastId = s.LastId,
            oldestEntryAgeSeconds = Round(s.OldestEntryAgeSeconds),
            retention = new
            {
                floorId = s.Retention.FloorId,
                heldBy = s.Retention.HeldBy,
                minAgeSeconds = s.Retention.MinAgeSeconds,
                maxAgeSeconds = s.Retention.MaxAgeSeconds,
                maxLength = s.Retention.MaxLength,
            },
            deadLetterStream = s.DeadLetterStream,
            deadLetterLength = s.DeadLetterLength,
            groups = s.Groups.Select(g => new
            {
                name = g.Name,
                lag = g.Lag,
                pending = g.Pending,
                oldestPendingAgeSeconds = Round(g.OldestPendingAgeSeconds),
                deadLetters = g.DeadLetters,
                lastDeliveredId = g.LastDeliveredId,
                entriesRead = g.EntriesRead,
                consumers = g.Consumers.Select(c => new
                {
                    name = c.Name,
                    pending = c.Pending,
                    idleSeconds = Round(c.IdleSeconds),
                    inactiveSeconds = Round(c.InactiveSeconds),
                    state = c.State.ToString().ToLowerInvariant(),
                }),
            }),
        }),
    };

    public static object Health(HealthReport report) => new
    {
        status = report.Healthy ? "healthy" : "unhealthy",
        checks = report.Checks.Select(c => new { name = c.Name, status = c.Healthy ? "healthy" : "unhealthy", detail = c.Detail }),
    };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static double? Round(double? seconds) => seconds is null ? null : Math.Round(seconds.Value, 3);
}
