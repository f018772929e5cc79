namespace OrdersFunctions.RedisStreams.Publishing;

/// <summary>
/// What goes with a published entry in one atomic step (a Lua script): an optional <see cref="Condition"/> checked
/// first, then the XADD, then every <see cref="Writes"/> entry with the new id filled in. Either all of it happens or
/// none of it, so a process that dies mid-request never leaves an entry without its index or answer, nor the reverse.
/// </summary>
public sealed record PublishTransaction
{
    /// <summary>Checked before anything is written; when it fails nothing is.</summary>
    public PublishCondition? Condition { get; init; }

    /// <summary>Keys set after the entry is added, each carrying its id.</summary>
    public IReadOnlyList<EntryIdWrite> Writes { get; init; } = [];
}
