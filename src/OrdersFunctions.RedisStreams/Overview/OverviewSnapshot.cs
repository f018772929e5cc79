namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>An overview of some streams, read from Redis starting at <paramref name="TakenAt"/>.</summary>
/// <param name="TakenAt">When the read began: every figure is at least this recent.</param>
/// <param name="Streams">The streams, in the order they were asked for.</param>
public sealed record OverviewSnapshot(DateTimeOffset TakenAt, IReadOnlyList<StreamOverview> Streams)
{
    /// <summary>How long the read took (zero when unknown).</summary>
    public TimeSpan ReadDuration { get; init; }

    /// <summary>How old the figures are at <paramref name="now"/> (never negative).</summary>
    public TimeSpan AgeAt(DateTimeOffset now) => now > TakenAt ? now - TakenAt : TimeSpan.Zero;

    /// <summary>The overview of <paramref name="stream"/>, or null when this snapshot does not cover it.</summary>
    public StreamOverview? Find(string stream) => Streams.FirstOrDefault(s => s.Name == stream);
}
