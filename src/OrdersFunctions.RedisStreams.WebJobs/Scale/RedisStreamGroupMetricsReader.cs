using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>Reads a group's bounded lag, pending count, read counter and working consumers over the shared
/// connection: XINFO GROUPS, XLEN and XINFO CONSUMERS (plus a bounded count only when Redis cannot tell the
/// lag).</summary>
internal sealed class RedisStreamGroupMetricsReader
{
    private readonly IRedisConnectionFactory _connections;
    private readonly string _stream;
    private readonly string _group;
    private readonly TimeSpan _activeWithin;

    public RedisStreamGroupMetricsReader(IRedisConnectionFactory connections, string stream, string group,
        TimeSpan activeWithin)
    {
        _connections = connections;
        _stream = stream;
        _group = group;
        _activeWithin = activeWithin;
    }

    public async Task<RedisStreamGroupMetrics> ReadAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _connections.GetSharedAsync(cancellationToken).ConfigureAwait(false);
        var database = connection.GetDatabase();
        var now = DateTime.UtcNow;
        var group = await GroupLagReader.ReadAsync(database, _stream, _group, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (group is null)
        {
            // No group yet (or no stream: length 0): the listener creates it at its start position; until then the
            // whole stream (Beginning) or nothing (NewEntriesOnly) waits. The length errs towards one worker starting.
            var length = await database.StreamLengthAsync(_stream).WaitAsync(cancellationToken).ConfigureAwait(false);
            return new RedisStreamGroupMetrics { Lag = length, Timestamp = now };
        }

        var consumers = await database.StreamConsumerInfoAsync(_stream, _group).WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        var activeMs = _activeWithin.TotalMilliseconds;
        return new RedisStreamGroupMetrics
        {
            Lag = group.Lag.Entries,
            LagSource = group.Lag.Source.ToString(),
            Pending = group.Pending,
            EntriesRead = group.EntriesRead,
            ActiveConsumers = consumers.Count(c => c.IdleTimeInMilliseconds < activeMs),
            Timestamp = now,
        };
    }
}
