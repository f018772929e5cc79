using System.Text.RegularExpressions;
using OrdersFunctions.RedisStreams.DeadLetters;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// Turns the Functions host's report of a failed isolated-worker invocation into the worker's own failure. The host
/// reports every such failure as <see cref="RpcExceptionType"/>, with <c>RemoteTypeName</c> naming the worker's
/// exception type and the message <c>Result: {result}\nException: {message}\nStack: {stack}</c>
/// (azure-functions-host, <c>Workers/Rpc/RpcException.cs</c>; the observed text is in docs/functions-host.md). The
/// engine records what it is handed, so the dead letter names the function's failure, not the host's wrapper.
/// </summary>
internal static partial class HostFailure
{
    /// <summary>The type name the Functions host gives every failure of an isolated worker's function.</summary>
    public const string RpcExceptionType = "Microsoft.Azure.WebJobs.Script.Workers.Rpc.RpcException";

    private const string ResultPrefix = "Result: ";
    private const string ExceptionMarker = "\nException: ";
    private const string StackMarker = "\nStack: ";

    /// <summary>The worker's failure inside a host report (a <see cref="ReportedFailureException"/>), or
    /// <paramref name="exception"/> itself when it is not one. Matched by shape: this extension does not reference the
    /// host's assemblies.</summary>
    public static Exception Unwrap(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        if (!message.StartsWith(ResultPrefix, StringComparison.Ordinal)
            || !message.Contains(ExceptionMarker, StringComparison.Ordinal))
            return exception;
        var worker = WorkerPart(message);
        var type = exception.GetType().GetProperty("RemoteTypeName")?.GetValue(exception) as string;
        if (string.IsNullOrWhiteSpace(type) && LeadingTypeName().Match(worker) is { Success: true } lead)
        {
            type = lead.Groups["type"].Value;
            worker = worker[lead.Length..];
        }
        return new ReportedFailureException(
            string.IsNullOrWhiteSpace(type) ? RpcExceptionType : type.Trim(), worker, exception);
    }

    // The worker's text is between "Exception: " and "Stack: "; a cut at 4,096 characters may have lost "Stack: ".
    private static string WorkerPart(string message)
    {
        var start = message.IndexOf(ExceptionMarker, StringComparison.Ordinal) + ExceptionMarker.Length;
        var end = message.IndexOf(StackMarker, start, StringComparison.Ordinal);
        return end < 0 ? message[start..] : message[start..end];
    }

    // "Namespace.SomeException: message", the start of an Exception.ToString() text.
    [GeneratedRegex(@"^(?<type>[A-Za-z_][\w]*(\.[A-Za-z_][\w`]*)+(Exception|Error)): ")]
    private static partial Regex LeadingTypeName();
}
