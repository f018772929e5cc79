using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.App.Ops;

/// <summary>
/// Reads the dead-letter filters (<c>stream, group, errorType, from, to</c>, plus <c>limit, after</c> in a query string
/// and <c>dryRun, force</c> in a bulk body), collecting one error per bad parameter, named.
/// </summary>
public sealed class DeadLetterFilter
{
    public DeadLetterQuery? Query { get; private set; }
    public bool DryRun { get; private set; }
    public bool Force { get; private set; }
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);
    public bool IsValid => Errors.Count == 0;

    /// <summary>From <c>?stream=&amp;group=&amp;errorType=&amp;from=&amp;to=&amp;limit=&amp;after=</c>.</summary>
    public static DeadLetterFilter FromQuery(IQueryCollection query, DeadLetterStreams streams)
    {
        var filter = new DeadLetterFilter();
        string? Text(string name) => query.TryGetValue(name, out var values) && !string.IsNullOrWhiteSpace(values.ToString()) ? values.ToString() : null;
        var limit = DeadLetterQuery.DefaultLimit;
        if (Text("limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > DeadLetterQuery.MaxLimit))
            filter.Errors["limit"] = [$"'{Cut(limitText)}' is not a whole number from 1 to {DeadLetterQuery.MaxLimit}."];
        var after = Text("after");
        if (after is not null && !IsEntryId(after))
            filter.Errors["after"] = [$"'{Cut(after)}' is not a cursor: pass the 'next' of the previous page."];
        filter.Build(streams, Text("stream"), Text("group"), Text("errorType"), Text("from"), Text("to"), limit, after);
        return filter;
    }

    /// <summary>From a bulk body <c>{"stream"?, "group"?, "errorType"?, "from"?, "to"?, "dryRun"?, "force"?}</c>; an
    /// empty body means no filter.</summary>
    public static DeadLetterFilter FromBody(byte[] body, DeadLetterStreams streams)
    {
        var filter = new DeadLetterFilter();
        string? stream = null, group = null, errorType = null, from = null, to = null;
        if (body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    filter.Errors["body"] = ["The body must be a JSON object, e.g. {\"group\": \"notifications\", \"dryRun\": true}."];
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
                            filter.Errors[property.Name] = ["Unknown field: use stream, group, errorType, from, to, dryRun, force."];
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
        filter.Build(streams, stream, group, errorType, from, to, DeadLetterQuery.DefaultLimit, after: null);
        return filter;
    }

    /// <summary>The <c>force</c> of an optional single-item body <c>{"force": true}</c>; errors as for a bulk body.</summary>
    public static DeadLetterFilter ForceFromBody(byte[] body)
    {
        var filter = new DeadLetterFilter();
        if (body.Length == 0)
            return filter;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("force", out var force))
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

    private void Build(DeadLetterStreams streams, string? stream, string? group, string? errorType, string? from, string? to, int limit, string? after)
    {
        var fromTime = Time("from", from);
        var toTime = Time("to", to);
        if (fromTime is not null && toTime is not null && fromTime > toTime)
            Errors["to"] = ["'to' is before 'from'."];
        var source = stream ?? streams.DefaultStream;
        if (StreamError(source, streams) is { } streamError)
            Errors["stream"] = [streamError];
        if (!IsValid)
            return;
        Query = new DeadLetterQuery
        {
            DeadLetterStream = streams.For(source),
            Stream = source,
            Group = group,
            ErrorType = errorType,
            From = fromTime,
            To = toTime,
            Limit = limit,
            After = after,
        };
    }

    /// <summary>Why <paramref name="stream"/> cannot be acted on, or null: its dead letters' outcome keys share the
    /// dead-letter stream's cluster slot, which a name with '}' but no hash tag cannot give.</summary>
    public static string? StreamError(string stream, DeadLetterStreams streams) =>
        StreamKeys.HasSlotPrefix(streams.For(stream))
            ? null
            : $"'{Cut(stream)}' contains '}}' but no hash tag, so it cannot be a dead-letter stream of this app: check the name.";

    private DateTimeOffset? Time(string name, string? text)
    {
        if (text is null)
            return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            return time;
        Errors[name] = [$"'{Cut(text)}' is not an ISO 8601 time, e.g. 2026-12-02T13:00:00Z."];
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

    private static bool IsEntryId(string text)
    {
        var dash = text.IndexOf('-');
        return dash > 0 && dash < text.Length - 1
            && ulong.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && ulong.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    private static string Cut(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
