using System.Globalization;
using Microsoft.Azure.WebJobs.Host.Protocols;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>Describes the trigger parameter; its reason fills the <c>Reason</c> of the host's invocation log line,
/// which is empty unless a trigger overrides <see cref="GetTriggerReason"/>. The host formats the reason before it binds
/// the parameters, so the entry id is rarely known here: the host's "Trigger Details: EntryId: …, MessageId: …,
/// DeliveryCount: …" line that follows carries it (the listener passes them as trigger details).</summary>
public sealed class RedisStreamTriggerParameterDescriptor : TriggerParameterDescriptor
{
    public string Stream { get; set; } = "";

    public string Group { get; set; } = "";

    /// <param name="arguments">Parameter name → the value provider's invoke string (the entry id), when bound already.</param>
    public override string GetTriggerReason(IDictionary<string, string> arguments)
    {
        string? entryId = null;
        if (arguments is not null && Name is not null)
            arguments.TryGetValue(Name, out entryId);
        return string.IsNullOrEmpty(entryId)
            ? string.Format(CultureInfo.InvariantCulture, "New entry in stream {0} for group {1}", Stream, Group)
            : string.Format(CultureInfo.InvariantCulture, "New entry {0} in stream {1} for group {2}", entryId, Stream, Group);
    }
}
