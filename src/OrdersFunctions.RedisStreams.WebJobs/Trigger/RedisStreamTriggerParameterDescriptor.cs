using System.Globalization;
using Microsoft.Azure.WebJobs.Host.Protocols;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>Describes the trigger parameter; its reason fills the <c>Reason</c> of the host's invocation log line,
/// which is empty unless a trigger overrides <see cref="GetTriggerReason"/>.</summary>
public sealed class RedisStreamTriggerParameterDescriptor : TriggerParameterDescriptor
{
    public string Stream { get; set; } = "";

    public string Group { get; set; } = "";

    /// <param name="arguments">Parameter name → the value provider's invoke string (the entry id).</param>
    public override string GetTriggerReason(IDictionary<string, string> arguments)
    {
        string? entryId = null;
        if (arguments is not null && Name is not null)
            arguments.TryGetValue(Name, out entryId);
        return string.Format(CultureInfo.InvariantCulture, "New entry {0} in stream {1} for group {2}",
            string.IsNullOrEmpty(entryId) ? "(unknown)" : entryId, Stream, Group);
    }
}
