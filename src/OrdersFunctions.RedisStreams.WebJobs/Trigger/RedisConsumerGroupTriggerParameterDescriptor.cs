using System.Globalization;
using Microsoft.Azure.WebJobs.Host.Protocols;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>Describes the trigger parameter; its reason fills the <c>Reason</c> of the host's invocation log line,
/// which is empty unless a trigger overrides <see cref="GetTriggerReason"/>. The host formats the reason before it
/// binds the parameters, so the entry id is rarely known here: the host's "Trigger Details: EntryId: …,
/// MessageId: …, DeliveryCount: …" line that follows carries it (the listener passes them as trigger
/// details).</summary>
public sealed class RedisConsumerGroupTriggerParameterDescriptor : TriggerParameterDescriptor
{
    private CachedReason? _reasonWithoutEntryId;

    public string Stream { get; set; } = "";

    public string Group { get; set; } = "";

    /// <param name="arguments">Parameter name → the value provider's invoke string (the entry id), when bound
    /// already.</param>
    public override string GetTriggerReason(IDictionary<string, string> arguments)
    {
        string? entryId = null;
        if (arguments is not null && Name is not null)
            arguments.TryGetValue(Name, out entryId);
        return string.IsNullOrEmpty(entryId)
            ? ReasonWithoutEntryId()
            : string.Format(
                CultureInfo.InvariantCulture, "New entry {0} in stream {1} for group {2}", entryId, Stream, Group);
    }

    // The host asks for the reason on every invocation, almost always before the entry id is known: the same text
    // each time, so it is formatted once, and again only if Stream or Group were set since (one reference swap,
    // thread-safe).
    private string ReasonWithoutEntryId()
    {
        var cached = Volatile.Read(ref _reasonWithoutEntryId);
        if (cached is not null && ReferenceEquals(cached.Stream, Stream) && ReferenceEquals(cached.Group, Group))
            return cached.Text;
        var text = string.Format(CultureInfo.InvariantCulture, "New entry in stream {0} for group {1}", Stream, Group);
        Volatile.Write(ref _reasonWithoutEntryId, new CachedReason(Stream, Group, text));
        return text;
    }

    private sealed record CachedReason(string Stream, string Group, string Text);
}
