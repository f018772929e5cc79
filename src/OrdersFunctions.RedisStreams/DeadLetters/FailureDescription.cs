using System.Text;
using System.Text.RegularExpressions;

namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>
/// The type and message of a handler failure as the dead-letter entry records it, and as HTTP clients and the ops API
/// may see it: on one line, without stack frames or file paths, at most <see cref="MaxMessageLength"/> characters. The
/// full exception goes to the logs only. A host that wraps failures in its own exception type unwraps them first and
/// hands the engine a <see cref="ReportedFailureException"/>.
/// </summary>
public readonly partial record struct FailureDescription(string Type, string Message)
{
    /// <summary>The longest message kept; longer ones are cut and end with an ellipsis.</summary>
    public const int MaxMessageLength = 1000;

    /// <summary>The description of <paramref name="exception"/>: its type (or the type a host reported for it) and its
    /// message, cleaned.</summary>
    public static FailureDescription Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var type = exception is ReportedFailureException reported
            ? reported.FailureType
            : exception.GetType().FullName ?? exception.GetType().Name;
        return Of(type, exception.Message);
    }

    /// <summary>Cleans a recorded type and message.</summary>
    public static FailureDescription Of(string? type, string? message)
    {
        type = string.IsNullOrWhiteSpace(type) ? "Exception" : type.Trim();
        return new FailureDescription(OneLine(type, 200), OneLine(message ?? "", MaxMessageLength));
    }

    /// <summary><c>Type: Message</c>, the form <c>GET /api/orders/{id}</c> shows.</summary>
    public override string ToString() => $"{Type}: {Message}";

    /// <summary>The text without stack frames and paths, its lines joined by spaces, cut to
    /// <paramref name="max"/>.</summary>
    private static string OneLine(string text, int max)
    {
        var builder = new StringBuilder(Math.Min(text.Length, max + 1));
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || IsStackLine(line))
                continue;
            line = SourceLocation().Replace(line, "");
            line = FilePath().Replace(line, m => Path.GetFileName(m.Value.TrimEnd('\\', '/')));
            if (builder.Length > 0)
                builder.Append(' ');
            builder.Append(line);
            if (builder.Length > max)
                break;
        }
        if (builder.Length <= max)
            return builder.ToString();
        return builder.ToString(0, max - 1) + "…";
    }

    private static bool IsStackLine(string line) =>
        line.StartsWith("at ", StringComparison.Ordinal)
        || line.StartsWith("--- End of", StringComparison.Ordinal)
        || line.StartsWith("Stack: ", StringComparison.Ordinal);

    // " in /_/src/File.cs:line 34", the source location .NET appends to a frame.
    [GeneratedRegex(@"\s+in\s+\S+:line\s+\d+")]
    private static partial Regex SourceLocation();

    // An absolute path with at least one folder: /a/b, /_/src/x.cs, C:\a\b. "$.items" and "a/b" are left alone.
    [GeneratedRegex(@"(?<![\w:/.$])(?:[A-Za-z]:[\\/]|/)(?:[^\s\\/'""`]+[\\/])+[^\s\\/'""`,;)]*")]
    private static partial Regex FilePath();
}
