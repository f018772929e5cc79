using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>
/// Keys the engine keeps next to a dead-letter stream. All live in the dead-letter stream's cluster slot (they start
/// with its <see cref="StreamKeys.SlotPrefix"/>), so one script can change a dead letter and its bookkeeping together.
/// </summary>
public static class DeadLetterKeys
{
    /// <summary>
    /// The outcome of the dead letter of <paramref name="originalId"/> in <paramref name="group"/>:
    /// <c>replaying …</c>, <c>replayed &lt;newEntryId&gt;</c> or <c>discarded</c>, keyed by (group, original id) so
    /// the status reader can find it from the order's entry id:
    /// <c>{orders-placed:dead-letter}:outcome:notifications:1700000000000-0</c>.
    /// </summary>
    public static string Outcome(string deadLetterStream, string group, string originalId) =>
        StreamKeys.SlotPrefix(deadLetterStream) + "outcome:" + group + ":" + originalId;

    /// <summary>Points from a dead-letter id that was replayed or discarded (and so deleted) to its
    /// <see cref="Outcome"/> key, so that asking again for that id answers "already done", not "unknown".</summary>
    public static string Handled(string deadLetterStream, string deadLetterId) =>
        StreamKeys.SlotPrefix(deadLetterStream) + "handled:" + deadLetterId;

    /// <summary>
    /// The id of the dead letter written for <paramref name="originalId"/> in <paramref name="group"/>: written with
    /// the dead letter, in the same script, so a second attempt (after a crash before the acknowledgement) finds it and
    /// writes no second dead letter; and the status reader finds the dead letter of an entry without a scan.
    /// </summary>
    public static string Written(string deadLetterStream, string group, string originalId) =>
        StreamKeys.SlotPrefix(deadLetterStream) + "written:" + group + ":" + originalId;

    /// <summary>The dead letters in the stream per (source stream, group): a hash kept exact by every script that adds
    /// or removes a dead letter (field: <see cref="CountField"/>).</summary>
    public static string Counts(string deadLetterStream) => StreamKeys.SlotPrefix(deadLetterStream) + "counts";

    /// <summary>Whether <see cref="Counts"/> can be trusted yet: a hash with <c>done</c>, and while a one-time count of
    /// dead letters written before the counts existed runs, its <c>cursor</c> and <c>boundary</c>.</summary>
    public static string CountsState(string deadLetterStream) =>
        StreamKeys.SlotPrefix(deadLetterStream) + "counts-state";

    /// <summary>The field of <see cref="Counts"/> for one source stream's group:
    /// <c>{UTF-8 length of stream}:{stream}:{group}</c> (the length makes it unambiguous whatever the names contain),
    /// e.g. <c>13:orders-placed:notifications</c>.</summary>
    public static string CountField(string stream, string group) =>
        $"{System.Text.Encoding.UTF8.GetByteCount(stream).ToString(System.Globalization.CultureInfo.InvariantCulture)}"
        + $":{stream}:{group}";
}
