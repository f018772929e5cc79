using System.Text;
using System.Text.RegularExpressions;

namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>
/// The type and message of a handler failure as the dead-letter entry records it, and as HTTP clients and the ops API
/// may see it: the function's own exception (unwrapped from the Functions host's <c>RpcException</c>), on one line,
/// without stack frames or file paths, at most <see cref="MaxMessageLength"/> characters. The full exception goes to
/// the logs only.
/// </summary>
public readonly partial record struct FailureDescription(string Type, string Message)
{
    /// <summary>The longest message kept; longer ones are cut and end with an ellipsis.</summary>
    public const int MaxMessageLength = 1000;

    /// <summary>The type name the Functions host gives every failure of an isolated worker's function. Its message is
    /// <c>Result: {result}\nException: {message}\nStack: {stack}</c> (azure-functions-host, <c>Workers/Rpc/RpcException.cs</c>).</summary>
    public const string HostRpcExceptionType = "Microsoft.Azure.WebJobs.Script.Workers.Rpc.RpcException";

    private const string ResultPrefix = "Result: ";
    private const string ExceptionMarker = "\nException: ";
    private const string StackMarker = "\nStack: ";

    /// <summary>The description of <paramref name="exception"/>; a host <c>RpcException</c> is described by the
    /// worker's exception it carries.</summary>
    public static FailureDescription Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var type = exception.GetType().FullName ?? exception.GetType().Name;
        // The host's RpcException names the worker's exception type in RemoteTypeName. Read by name: the engine must
        // not depend on the Functions host's assemblies.
        var remoteType = exception.GetType().GetProperty("RemoteTypeName")?.GetValue(exception) as string;
        return Of(type, exception.Message, remoteType);
    }

    /// <summary>Cleans a recorded type and message (e.g. a dead-letter entry written before this type existed).</summary>
    public static FailureDescription Of(string? type, string? message) => Of(type, message, remoteType: null);

    private static FailureDescription Of(string? type, string? message, string? remoteType)
    {
        type = string.IsNullOrWhiteSpace(type) ? "Exception" : type.Trim();
        message ??= "";
        if (IsHostRpcText(message))
        {
            message = WorkerPart(message);
            if (!string.IsNullOrWhiteSpace(remoteType))
            {
                type = remoteType.Trim();
            }
            else if (LeadingTypeName().Match(message) is { Success: true } lead)
            {
                type = lead.Groups["type"].Value;
                message = message[lead.Length..];
            }
        }
        return new FailureDescription(OneLine(type, 200), OneLine(message, MaxMessageLength));
    }

    /// <summary><c>Type: Message</c>, the form <c>GET /api/orders/{id}</c> shows.</summary>
    public override string ToString() => $"{Type}: {Message}";

    // The host's text starts with "Result: " and carries "\nException: "; a 4,096-character cut may have lost "\nStack: ".
    private static bool IsHostRpcText(string message) =>
        message.StartsWith(ResultPrefix, StringComparison.Ordinal) && message.Contains(ExceptionMarker, StringComparison.Ordinal);

    private static string WorkerPart(string message)
    {
        var start = message.IndexOf(ExceptionMarker, StringComparison.Ordinal) + ExceptionMarker.Length;
        var end = message.IndexOf(StackMarker, start, StringComparison.Ordinal);
        return end < 0 ? message[start..] : message[start..end];
    }

    /// <summary>The text without stack frames and paths, its lines joined by spaces, cut to <paramref name="max"/>.</summary>
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

    // "Namespace.SomeException: message", the start of an Exception.ToString() text.
    [GeneratedRegex(@"^(?<type>[A-Za-z_][\w]*(\.[A-Za-z_][\w`]*)+(Exception|Error)): ")]
    private static partial Regex LeadingTypeName();

    // " in /_/src/File.cs:line 34", the source location .NET appends to a frame.
    [GeneratedRegex(@"\s+in\s+\S+:line\s+\d+")]
    private static partial Regex SourceLocation();

    // An absolute path with at least one folder: /a/b, /_/src/x.cs, C:\a\b. "$.items" and "a/b" are left alone.
    [GeneratedRegex(@"(?<![\w:/.$])(?:[A-Za-z]:[\\/]|/)(?:[^\s\\/'""`]+[\\/])+[^\s\\/'""`,;)]*")]
    private static partial Regex FilePath();
}
