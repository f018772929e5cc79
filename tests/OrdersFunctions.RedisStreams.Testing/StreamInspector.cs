using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Testing;

/// <summary>
/// Reads a consumer group's state straight from Redis (XPENDING, XINFO, XRANGE, XLEN), so tests check what Redis holds
/// rather than what the code under test believes. The engine's public API exposes no group state, hence raw commands.
/// </summary>
public sealed class StreamInspector(IConnectionMultiplexer connection)
{
    private IDatabase Db => connection.GetDatabase();

    /// <summary>Every pending entry of <paramref name="group"/> (up to 10,000): id, owner, delivery count.</summary>
    public async Task<IReadOnlyList<StreamPendingMessageInfo>> PendingAsync(string stream, string group)
    {
        try
        {
            return await Db.StreamPendingMessagesAsync(stream, group, 10_000, RedisValue.Null).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            return [];
        }
    }

    /// <summary>The consumers Redis knows in <paramref name="group"/>, with their pending counts.</summary>
    public async Task<IReadOnlyList<StreamConsumerInfo>> ConsumersAsync(string stream, string group) =>
        await Db.StreamConsumerInfoAsync(stream, group).ConfigureAwait(false);

    /// <summary>The groups of <paramref name="stream"/> (empty when the key does not exist).</summary>
    public async Task<IReadOnlyList<StreamGroupInfo>> GroupsAsync(string stream)
    {
        if (!await Db.KeyExistsAsync(stream).ConfigureAwait(false))
            return [];
        return await Db.StreamGroupInfoAsync(stream).ConfigureAwait(false);
    }

    /// <summary>XLEN, 0 when the key does not exist.</summary>
    public async Task<long> LengthAsync(string stream) => await Db.StreamLengthAsync(stream).ConfigureAwait(false);

    /// <summary>Every entry of <paramref name="stream"/> as (id, fields).</summary>
    public async Task<IReadOnlyList<StreamEntry>> EntriesAsync(string stream) =>
        await Db.StreamRangeAsync(stream).ConfigureAwait(false);

    /// <summary>The dead-letter entries of <paramref name="deadLetterStream"/>, parsed.</summary>
    public async Task<IReadOnlyList<DeadLetterEntry>> DeadLettersAsync(string deadLetterStream) =>
        (await EntriesAsync(deadLetterStream).ConfigureAwait(false)).Select(DeadLetterEntry.From).ToList();

    /// <summary>A one-line summary of the group for failure messages.</summary>
    public async Task<string> DescribeAsync(string stream, string group)
    {
        try
        {
            var pending = await PendingAsync(stream, group).ConfigureAwait(false);
            var consumers = await ConsumersAsync(stream, group).ConfigureAwait(false);
            var length = await LengthAsync(stream).ConfigureAwait(false);
            return $"stream {stream} length {length}; group {group}: {pending.Count} pending " +
                   $"[{string.Join(", ", pending.Take(10).Select(p =>
                       $"{p.MessageId}@{p.ConsumerName}x{p.DeliveryCount}"))}]; consumers " +
                   $"[{string.Join(", ", consumers.Select(c => $"{c.Name}:{c.PendingMessageCount}"))}]";
        }
        catch (RedisException ex)
        {
            return $"stream {stream} group {group}: {ex.Message}";
        }
    }

    /// <summary>Appends an entry with exactly these fields (bypassing the publisher), e.g. to make a malformed
    /// entry.</summary>
    public async Task<string> AddRawAsync(string stream, params (string Field, string Value)[] fields) =>
        (string)(await Db.StreamAddAsync(stream, fields.Select(f => new NameValueEntry(f.Field, f.Value)).ToArray())
            .ConfigureAwait(false))!;
}
