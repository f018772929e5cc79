using System.Globalization;
using System.Text.Json;
using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.Operations.DeadLetters;

/// <summary>
/// Reads the dead-letter filters (<c>stream, group, errorType, from, to</c>, plus <c>limit, after</c> for a listing
/// and <c>dryRun, force</c> for a bulk action), collecting one error per bad parameter, named, in the same words for
/// every face: the HTTP functions pass the query string or the JSON body, the command line its options.
/// </summary>
public sealed class DeadLetterFilter
{
    /// <summary>The filter's parameter names, as the HTTP API spells them.</summary>
    public static readonly IReadOnlyList<string> Parameters =
        ["stream", "group", "errorType", "from", "to", "limit", "after"];

    public DeadLetterQuery? Query { get; private set; }

    public bool DryRun { get; private set; }

    public bool Force { get; private set; }

    /// <summary>Problems by parameter name.</summary>
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    public bool IsValid => Errors.Count == 0;

    /// <summary>From named values (a query string, command-line options): <paramref name="value"/> answers a parameter
    /// name of <see cref="Parameters"/> with its text, or null when absent.</summary>
    public static DeadLetterFilter FromValues(Func<string, string?> value, OpsTopology topology)
    {
        ArgumentNullException.ThrowIfNull(value);
        var filter = new DeadLetterFilter();
        string? Text(string name) => value(name) is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
        var limit = DeadLetterQuery.DefaultLimit;
        if (Text("limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit)
                || limit is < 1 or > DeadLetterQuery.MaxLimit))
            filter.Errors["limit"] =
                [$"'{OpsTexts.Cut(limitText)}' is not a whole number from 1 to {DeadLetterQuery.MaxLimit}."];
        var after = Text("after");
        if (after is not null && !StreamIds.IsEntryId(after))
            filter.Errors["after"] =
                [$"'{OpsTexts.Cut(after)}' is not a cursor: pass the 'next' of the previous page."];
        filter.Build(
            topology, Text("stream"), Text("group"), Text("errorType"), Text("from"), Text("to"), limit, after);
        return filter;
    }

    /// <summary>From a bulk body <c>{"stream"?, "group"?, "errorType"?, "from"?, "to"?, "dryRun"?, "force"?}</c>; an
    /// empty body means no filter.</summary>
    public static DeadLetterFilter FromJsonBody(byte[] body, OpsTopology topology)
    {
        ArgumentNullException.ThrowIfNull(body);
        var filter = new DeadLetterFilter();
        string? stream = null, group = null, errorType = null, from = null, to = null;
        if (body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    filter.Errors["body"] =
                        ["The body must be a JSON object, e.g. {\"group\": \"notifications\", \"dryRun\": true}."];
                    return filter;
                }
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "stream": stream = filter.String(property); break;
                        case "group": group = filter.String(property); break;
                        case "errorType": errorType = filter.String(property); break;
                        case "from": from = filter.String(property); break;
                        case "to": to = filter.String(property); break;
                        case "dryRun": filter.DryRun = filter.Boolean(property); break;
                        case "force": filter.Force = filter.Boolean(property); break;
                        default:
                            filter.Errors[property.Name] =
                                ["Unknown field: use stream, group, errorType, from, to, dryRun, force."];
                            break;
                    }
                }
            }
            catch (JsonException)
            {
                filter.Errors["body"] = ["The body is not valid JSON."];
                return filter;
            }
        }
        filter.Build(topology, stream, group, errorType, from, to, DeadLetterQuery.DefaultLimit, after: null);
        return filter;
    }

    /// <summary>The <c>force</c> of an optional single-item body <c>{"force": true}</c>; errors as for a bulk
    /// body.</summary>
    public static DeadLetterFilter ForceFromJsonBody(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var filter = new DeadLetterFilter();
        if (body.Length == 0)
            return filter;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("force", out var force))
                filter.Force = force.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => filter.Fail("force", "Must be true or false."),
                };
            else if (document.RootElement.ValueKind != JsonValueKind.Object)
                filter.Errors["body"] = ["The body must be a JSON object, e.g. {\"force\": true}, or empty."];
        }
        catch (JsonException)
        {
            filter.Errors["body"] = ["The body is not valid JSON."];
        }
        return filter;
    }

    private void Build(
        OpsTopology topology,
        string? stream,
        string? group,
        string? errorType,
        string? from,
        string? to,
        int limit,
        string? after)
    {
        var fromTime = Time("from", from);
        var toTime = Time("to", to);
        if (fromTime is not null && toTime is not null && fromTime > toTime)
            Errors["to"] = ["'to' is before 'from'."];
        var source = stream ?? topology.DefaultStream;
        if (source is null)
            Errors["stream"] = ["The app reads no stream (its stream functions' settings are missing): name one."];
        else if (topology.StreamError(source) is { } streamError)
            Errors["stream"] = [streamError];
        else if (group is not null && topology.Find(source) is { } known && known.Groups.All(g => g.Name != group))
            Errors["group"] =
            [
                $"'{OpsTexts.Cut(group)}' is not a group of {source}: " +
                $"its groups are {string.Join(", ", known.Groups.Select(g => g.Name))}.",
            ];
        if (!IsValid)
            return;
        Query = new DeadLetterQuery
        {
            DeadLetterStream = topology.DeadLetterStreamFor(source!),
            Stream = source,
            Group = group,
            ErrorType = errorType,
            From = fromTime,
            To = toTime,
            Limit = limit,
            After = after,
        };
    }

    private DateTimeOffset? Time(string name, string? text)
    {
        if (text is null)
            return null;
        if (DateTimeOffset.TryParse(
                text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var time))
            return time;
        Errors[name] = [$"'{OpsTexts.Cut(text)}' is not an ISO 8601 time, e.g. 2026-12-02T13:00:00Z."];
        return null;
    }

    private string? String(JsonProperty property)
    {
        if (property.Value.ValueKind == JsonValueKind.Null)
            return null;
        if (property.Value.ValueKind == JsonValueKind.String)
            return string.IsNullOrWhiteSpace(property.Value.GetString()) ? null : property.Value.GetString();
        Errors[property.Name] = ["Must be a string."];
        return null;
    }

    private bool Boolean(JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False or JsonValueKind.Null => false,
        _ => Fail(property.Name, "Must be true or false."),
    };

    private bool Fail(string name, string message)
    {
        Errors[name] = [message];
        return false;
    }
}
