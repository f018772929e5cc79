using System.Text;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>
/// Fields the engine adds to an entry it writes back to the source stream when a dead letter is replayed
/// (<see cref="DeadLetterStore.ReplayAsync"/>). The entry carries the original envelope unchanged (same message id, so
/// handlers' idempotency holds) plus these. Every engine subscriber whose group is not <see cref="Group"/>
/// acknowledges such an entry without running its handler; consumers of other software see it as a new entry.
/// </summary>
public static class ReplayFields
{
    /// <summary>The only consumer group that handles the entry: the group that gave up on the original.</summary>
    public const string Group = "replay_group";

    /// <summary>The id of the entry this one replays (the dead letter's original id).</summary>
    public const string Of = "replay_of";

    /// <summary>How many times the message has been replayed, this replay included (1 for the first).</summary>
    public const string Replays = "replays";

    private static readonly byte[] GroupName = Encoding.UTF8.GetBytes(Group);

    /// <summary>True when the raw entry is a replay addressed to a group other than <paramref name="group"/>.</summary>
    internal static bool IsForAnotherGroup(in RawEntry entry, string group)
    {
        var fields = entry.Fields;
        if (fields is null)
            return false;
        // Names compared as byte spans, like the envelope reader: this runs for every delivered entry.
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            if (FieldName.Of(fields[i]).SequenceEqual(GroupName))
                return (string?)fields[i + 1] != group; // a replay is rare: a string here costs nothing
        }
        return false;
    }

    /// <summary>The group a replayed entry is addressed to ("" when it names none).</summary>
    internal static string GroupOf(in RawEntry entry)
    {
        var fields = entry.Fields ?? [];
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            if (FieldName.Of(fields[i]).SequenceEqual(GroupName))
                return (string?)fields[i + 1] ?? "";
        }
        return "";
    }

    /// <summary>Whether <paramref name="name"/> is one of these fields (not copied from a dead letter into a
    /// replay).</summary>
    internal static bool IsReplayField(string name) => name is Group or Of or Replays;
}
