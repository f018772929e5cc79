using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>
/// Moves an entry a group gave up on to the dead-letter stream: the dead letter (<see cref="DeadLetterCodec"/>), its
/// count (<see cref="DeadLetterCounts"/>), the key naming it by (group, original id) and the acknowledgement of the
/// entry, in one script, so a crash leaves either all of it or none.
/// <para>In a Redis Cluster a script can only touch one slot. When the stream and its dead-letter stream share a slot
/// (a common hash tag, e.g. <c>{orders}-placed</c> and <c>{orders}-placed:dead-letter</c>) it is still one script.
/// Otherwise the script does everything but the acknowledgement, which follows as a separate XACK; a crash in between
/// leaves the entry pending, another delivery dead-letters it again, and the script, finding the (group, original id)
/// key, writes no second dead letter and only acknowledges.</para>
/// Thread-safe; one per subscriber.
/// </summary>
internal sealed class DeadLetterWriter
{
    private readonly string _stream;
    private readonly string _group;
    private readonly string _deadLetterStream;
    private readonly RedisKey[] _keysWithAck;
    private readonly RedisKey _streamKey;
    private readonly long _writtenKeyTtlMs;
    private readonly string _countField;
    private int _ackInScript; // 0 unknown, 1 yes, 2 no

    /// <param name="stream">The source stream.</param>
    /// <param name="group">The group that gives up.</param>
    /// <param name="deadLetterStream">Where its dead letters go.</param>
    /// <param name="keepFor">How long dead letters are kept (the (group, original id) key lives as long).</param>
    public DeadLetterWriter(string stream, string group, string deadLetterStream, TimeSpan keepFor)
    {
        _stream = stream;
        _group = group;
        _deadLetterStream = deadLetterStream;
        _streamKey = stream;
        _writtenKeyTtlMs = Math.Max(1, (long)keepFor.TotalMilliseconds);
        _countField = DeadLetterKeys.CountField(stream, group);
        _keysWithAck =
        [
            deadLetterStream,
            DeadLetterKeys.Counts(deadLetterStream),
            DeadLetterKeys.CountsState(deadLetterStream),
            default, // the written key, per entry
            stream,
        ];
    }

    /// <summary>The dead-letter stream written to.</summary>
    public string DeadLetterStream => _deadLetterStream;

    /// <summary>
    /// Dead-letters <paramref name="entry"/> and acknowledges it. Returns the dead letter's id and whether this call
    /// wrote it (false: it had been written before, and only the acknowledgement was missing).
    /// </summary>
    /// <exception cref="RedisException">Redis refused or could not be reached; nothing is acknowledged then, and the
    /// entry stays pending for another try.</exception>
    public async Task<DeadLetterWrite> WriteAsync(IDatabaseAsync database, RawEntry entry, DeadLetterRecord record)
    {
        var fields = DeadLetterCodec.Encode(record, entry.Fields);
        var args = new RedisValue[4 + fields.Length * 2];
        args[0] = _group;
        args[1] = entry.Id;
        args[2] = _writtenKeyTtlMs;
        args[3] = _countField;
        for (var i = 0; i < fields.Length; i++)
        {
            args[4 + i * 2] = fields[i].Name;
            args[5 + i * 2] = fields[i].Value;
        }
        var ackInScript = AckInScript(database);
        var keys = ackInScript ? (RedisKey[])_keysWithAck.Clone() : _keysWithAck[..4];
        keys[3] = DeadLetterKeys.Written(_deadLetterStream, _group, entry.Id);
        var reply = (RedisResult[])(await database.ScriptEvaluateAsync(DeadLetterCountScripts.Write, keys, args)
            .ConfigureAwait(false))!;
        if (!ackInScript)
            await database.StreamAcknowledgeAsync(_streamKey, _group, entry.Id).ConfigureAwait(false);
        return new DeadLetterWrite((string)reply[1]!, (long)reply[0] == 1);
    }

    /// <summary>Whether the acknowledgement can go into the script: always on a single server; in a cluster only when
    /// the stream and the dead-letter stream share a slot.</summary>
    private bool AckInScript(IDatabaseAsync database)
    {
        var known = Volatile.Read(ref _ackInScript);
        if (known != 0)
            return known == 1;
        var multiplexer = database.Multiplexer;
        var cluster = multiplexer.GetEndPoints()
            .Any(endpoint => multiplexer.GetServer(endpoint).ServerType == ServerType.Cluster);
        var together = !cluster || multiplexer.HashSlot(_stream) == multiplexer.HashSlot(_deadLetterStream);
        Volatile.Write(ref _ackInScript, together ? 1 : 2);
        return together;
    }
}

/// <summary>The dead letter written for an entry.</summary>
/// <param name="DeadLetterId">Its id in the dead-letter stream.</param>
/// <param name="Written">False when an earlier attempt had written it and only the acknowledgement was left to
/// do.</param>
internal readonly record struct DeadLetterWrite(string DeadLetterId, bool Written);
