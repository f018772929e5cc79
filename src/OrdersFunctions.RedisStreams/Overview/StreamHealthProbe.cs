using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>
/// A health check's view of a stream that is cheap enough for every request of a health endpoint: PING, one
/// XINFO GROUPS (O(groups)) and XLEN now, pipelined, plus the figures of the shared <see cref="OverviewSnapshots"/> as
/// they are. It never reads a fresh overview on the request path: when the snapshot is missing or older than
/// <see cref="RefreshFiguresOlderThan"/> it starts a read in the background and answers with what it has (the record
/// says how old the figures are, or that there are none yet). It judges nothing: the caller applies its thresholds.
/// Thread-safe.
/// </summary>
public sealed class StreamHealthProbe
{
    /// <summary>The default of <see cref="RefreshFiguresOlderThan"/>.</summary>
    public static readonly TimeSpan DefaultRefreshFiguresOlderThan = TimeSpan.FromSeconds(15);

    private readonly IRedisConnectionFactory _connections;
    private readonly OverviewSnapshots _snapshots;

    /// <param name="connections">The shared connection.</param>
    /// <param name="snapshots">The process's shared overview snapshots (they should cover the streams probed).</param>
    public StreamHealthProbe(IRedisConnectionFactory connections, OverviewSnapshots snapshots)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(snapshots);
        _connections = connections;
        _snapshots = snapshots;
    }

    /// <summary>Figures older than this start a background refresh of the snapshot when the probe runs.</summary>
    public TimeSpan RefreshFiguresOlderThan { get; init; } = DefaultRefreshFiguresOlderThan;

    /// <summary>Probes <paramref name="groups"/> of <paramref name="stream"/>. Redis being unreachable is reported
    /// in the record, not thrown.</summary>
    public async Task<StreamHealth> CheckAsync(string stream, IEnumerable<string> groups,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stream);
        ArgumentNullException.ThrowIfNull(groups);
        var asked = groups.ToArray();
        var snapshot = _snapshots.Peek(RefreshFiguresOlderThan);
        var now = _snapshots.Time.GetUtcNow();
        IReadOnlyList<GroupInfo> found;
        long length;
        try
        {
            var database = (await _connections.GetSharedAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
            var ping = database.PingAsync();
            var groupsRead = GroupInfoReader.ReadGroupsAsync(database, stream, cancellationToken);
            var lengthRead = database.StreamLengthAsync(stream); // O(1): caps Redis's lag (see LagEstimate)
            await Task.WhenAll(ping, groupsRead, lengthRead).WaitAsync(cancellationToken).ConfigureAwait(false);
            found = groupsRead.Result;
            length = lengthRead.Result;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new StreamHealth(stream, false, [], snapshot?.TakenAt, snapshot?.AgeAt(now).TotalSeconds);
        }
        var overview = snapshot?.Find(stream);
        var result = asked.Select(name => Judge(name, found, length, overview, now)).ToArray();
        return new StreamHealth(stream, true, result, snapshot?.TakenAt, snapshot?.AgeAt(now).TotalSeconds);
    }

    private static GroupHealth Judge(string name, IReadOnlyList<GroupInfo> found, long length, StreamOverview? overview,
        DateTimeOffset now)
    {
        var info = found.FirstOrDefault(g => g.Name == name);
        if (info is null)
            return new GroupHealth(name, false, null, null, false, null);
        var figures = overview?.Groups.FirstOrDefault(g => g.Name == name);
        // Redis's lag is read now; only a lag it cannot tell is taken from the snapshot (counting is not for here).
        var lag = info.Lag is { } reported
            ? LagEstimate.FromCounters(reported, null, null, length)
            : figures?.LagEstimate;
        var oldest = info.Pending > 0 && figures?.OldestPendingId is { } id
            ? StreamIds.AgeSeconds(id, now)
            : (double?)null;
        return new GroupHealth(name, true, info.Pending, lag, info.Lag is null && lag is not null, oldest);
    }
}
