using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>Reads a group's lag and pending count with XINFO GROUPS over the shared connection.</summary>
internal sealed class RedisStreamGroupMetricsReader
{
    private readonly IRedisConnectionFactory _connections;
    private readonly string _stream;
    private readonly string _group;

    public RedisStreamGroupMetricsReader(IRedisConnectionFactory connections, string stream, string group)
    {
        _connections = connections;
        _stream = stream;
        _group = group;
    }

    public async Task<RedisStreamGroupMetrics> ReadAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _connections.GetSharedAsync(cancellationToken).ConfigureAwait(false);
        var database = connection.GetDatabase();
        StreamGroupInfo[] groups;
        try
        {
            groups = await database.StreamGroupInfoAsync(_stream).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            return new RedisStreamGroupMetrics(); // no stream yet: nothing to do
        }

        foreach (var group in groups)
        {
            if (group.Name != _group)
                continue;
            return new RedisStreamGroupMetrics
            {
                // Redis reports no lag (null) when it cannot tell, e.g. after entries were deleted from the middle of
                // the stream; the group then counts as caught up until XINFO can tell again. Redis < 7 never reports it.
                Lag = group.Lag ?? 0,
                Pending = group.PendingMessageCount,
            };
        }

        // The group does not exist yet: the listener creates it at its start position; until then the whole stream
        // (Beginning) or nothing (NewEntriesOnly) waits. Reporting the stream length errs towards one worker starting.
        var length = await database.StreamLengthAsync(_stream).ConfigureAwait(false);
        return new RedisStreamGroupMetrics { Lag = length };
    }
}
