using System.Globalization;
using OrdersFunctions.RedisStreams.Overview;

namespace OrdersFunctions.Ops.Status;

/// <summary>
/// Writes one stream's overview for people: a few lines about the stream (size, retention floor, dead letters), then
/// one aligned table of its groups with each group's consumers indented under it. Scripts use <c>--json</c>.
/// </summary>
public static class StatusWriter
{
    private const string Indent = "  ";

    public static void Write(TextWriter output, StreamOverview stream)
    {
        if (!stream.Exists)
            output.WriteLine(
                $"{stream.Name}: no such stream (nothing published yet, or check the OrdersStream setting)");
        else if (stream.Length == 0)
            output.WriteLine($"{stream.Name}: empty");
        else
            output.WriteLine(
                $"{stream.Name}: {Count(stream.Length, "entry", "entries")}, {stream.FirstId} .. {stream.LastId}, " +
                $"oldest {Duration.Of(stream.OldestEntryAgeSeconds)} old");

        if (stream.Retention.FloorId is not null)
            output.WriteLine(
                $"{Indent}retention: floor {stream.Retention.FloorId}, {HeldBy(stream.Retention)}; " +
                $"{Policy(stream.Retention)}");
        output.WriteLine($"{Indent}dead letters: {stream.DeadLetterLength} in {stream.DeadLetterStream}");

        if (stream.Exists && stream.Groups.Count == 0)
            output.WriteLine($"{Indent}no consumer groups (the app's stream functions create theirs when they start)");
        if (stream.Groups.Count == 0)
            return;

        output.WriteLine();
        var table = new StringWriter(CultureInfo.InvariantCulture);
        TableWriter.Write(table,
            ["GROUP / CONSUMER", "LAG", "PENDING", "OLDEST PENDING", "DEAD LETTERS", "IDLE", "INACTIVE", "STATE"],
            Rows(stream));
        foreach (var line in table.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries))
            output.WriteLine(Indent + line);
    }

    private static List<IReadOnlyList<string>> Rows(StreamOverview stream)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var group in stream.Groups)
        {
            rows.Add(
            [
                group.Name,
                Lag(group),
                Number(group.Pending),
                group.OldestPendingAgeSeconds is null ? "-" : Duration.Of(group.OldestPendingAgeSeconds),
                DeadLetters(stream, group),
                "", "", "",
            ]);
            foreach (var consumer in group.Consumers)
            {
                rows.Add(
                [
                    Indent + consumer.Name,
                    "",
                    Number(consumer.Pending),
                    "",
                    "",
                    Duration.Of(consumer.IdleSeconds),
                    consumer.InactiveSeconds is null ? "-" : Duration.Of(consumer.InactiveSeconds),
                    consumer.State.ToString().ToLowerInvariant(),
                ]);
            }
            if (group.ConsumersNotShown > 0)
                rows.Add(
                [
                    Indent + $"(+{Number(group.ConsumersNotShown)} more: {Number(group.ConsumerStates.Alive)} alive, " +
                    $"{Number(group.ConsumerStates.Idle)} idle, {Number(group.ConsumerStates.Dead)} dead in all)",
                    "", "", "", "", "", "", "",
                ]);
        }
        return rows;
    }

    /// <summary>The lag as what it is: exact, "~" for Redis's counters after deletions, "≥" for a capped
    /// count.</summary>
    private static string Lag(GroupOverview group) => group.Lag is null ? "-" : group.LagEstimate.Source switch
    {
        LagSource.AtLeast => "≥ " + Number(group.Lag.Value),
        LagSource.Counters => "~" + Number(group.Lag.Value),
        _ => Number(group.Lag.Value),
    };

    /// <summary>A group's kept dead-letter count; "≥" while dead letters written before counts existed are still
    /// being counted.</summary>
    private static string DeadLetters(StreamOverview stream, GroupOverview group) => group.DeadLetters is null ? "-"
        : (stream.DeadLetterCountsExact == false ? "≥ " : "") + Number(group.DeadLetters.Value);

    private static string HeldBy(RetentionOverview retention) =>
        retention.HeldBy is null
            ? "set by the min-age window (no group holds it)"
            : $"held by group {retention.HeldBy}";

    private static string Policy(RetentionOverview retention) =>
        $"min age {Duration.Of(retention.MinAgeSeconds)}, " +
        $"max age {(retention.MaxAgeSeconds is null ? "off" : Duration.Of(retention.MaxAgeSeconds))}, " +
        $"max length {(retention.MaxLength is null ? "off" : Number(retention.MaxLength.Value))}";

    private static string Count(long count, string one, string many) => $"{Number(count)} {(count == 1 ? one : many)}";

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
