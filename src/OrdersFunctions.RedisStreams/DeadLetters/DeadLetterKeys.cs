using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>Keys the dead-letter operations keep next to a dead-letter stream.</summary>
public static class DeadLetterKeys
{
    /// <summary>
    /// The outcome of the dead letter of <paramref name="originalId"/> in <paramref name="group"/>: <c>replaying …</c>,
    /// <c>replayed &lt;newEntryId&gt;</c> or <c>discarded</c>. It lives in the dead-letter stream's cluster slot, so
    /// one script can check it and the dead letter together, and it is keyed by (group, original id) so the status
    /// reader can find it from the order's entry id: <c>{orders-placed:dead-letter}:outcome:notifications:1700000000000-0</c>.
    /// </summary>
    public static string Outcome(string deadLetterStream, string group, string originalId) =>
        StreamKeys.SlotPrefix(deadLetterStream) + "outcome:" + group + ":" + originalId;

    /// <summary>Points from a dead-letter id that was replayed or discarded (and so deleted) to its
    /// <see cref="Outcome"/> key, so that asking again for that id answers "already done", not "unknown".</summary>
    public static string Handled(string deadLetterStream, string deadLetterId) =>
        StreamKeys.SlotPrefix(deadLetterStream) + "handled:" + deadLetterId;
}
