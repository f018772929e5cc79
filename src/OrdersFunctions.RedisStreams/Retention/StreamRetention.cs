using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Retention;

/// <summary>
/// Trims a stream to the safe floor of every consumer group (ours and anyone's), and its dead-letter stream by age.
/// <list type="bullet">
/// <item>Safe floor: the lowest, over every group in XINFO GROUPS, of the group's oldest pending entry and the entry
/// after its last-delivered id, capped at <c>now - MinAge</c>. An entry some group has not read and acknowledged is
/// never below it.</item>
/// <item>Trimming is <c>XTRIM key MINID ~ floor LIMIT 25000</c> (repeated up to 40 times per run while it removes
/// something; each call about a millisecond of Redis time): approximate only ever keeps more (whole macro-nodes), and
/// repeating it, concurrently or not, changes nothing, so every instance may trim.</item>
/// <item>A safety valve (<see cref="RetentionPolicy.MaxAge"/>, <see cref="RetentionPolicy.MaxLength"/>) may raise the
/// floor past a lagging group; then it trims exactly, logs one warning per group with the entries that group lost,
/// and counts them in <see cref="StreamsTelemetry.LostCounter"/>.</item>
/// <item>Needs Redis 6.2 (MINID); the version is read once per instance; on older servers it logs one warning and trims
/// nothing.</item>
/// </list>
/// Race: a group created (or moved with XGROUP SETID) at an id below the floor after the floor was read does not hold
/// it; the entries trimmed meanwhile are gone for that group. New groups should start at <c>$</c> or at an id inside
/// the minimum-age window. Thread-safe.
/// </summary>
public sealed class StreamRetention
{
    /// <summary>How many lost entries the valve counts per group and run, at most.</summary>
    public const int LostCountLimit = 100_000;

    private const int ValveLengthStep = 10_000;
    // 25,000 entries a call is about 1 ms of Redis time (100,000 took 3.4 ms: docs/operations.md, "At scale"); 40 calls
    // keep a run's reach at a million entries.
    private const int TrimLimitPerCall = 25_000;
    private const int MaxTrimCallsPerRun = 40;
    private const int CountPageSize = 1_000;
    // 1,000 steps of DeadLetterCounts.StepSize: up to 100,000 dead letters a run, each step about a millisecond.
    private const int MaxDeadLetterTrimStepsPerRun = 1_000;

    private readonly IRedisConnectionFactory _connections;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly object _versionLock = new();
    private Task<Version?>? _version;
    private int _unsupportedLogged;

    public StreamRetention(IRedisConnectionFactory connections, ILogger<StreamRetention>? logger = null)
        : this(connections, logger, TimeProvider.System)
    {
    }

    internal StreamRetention(IRedisConnectionFactory connections, ILogger? logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connections);
        _connections = connections;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The floor retention would trim <paramref name="stream"/> to now, or null when the stream does not
    /// exist.</summary>
    public async Task<RetentionFloor?> ReadFloorAsync(string stream, RetentionPolicy policy,
        CancellationToken cancellationToken = default)
    {
        RequireStream(stream);
        ArgumentNullException.ThrowIfNull(policy);
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var groups = await GroupInfoReader.ReadGroupsAsync(database, stream, cancellationToken).ConfigureAwait(false);
        return await ReadFloorAsync(database, stream, groups, policy, cancellationToken).ConfigureAwait(false);
    }

    internal async Task<RetentionFloor?> ReadFloorAsync(IDatabaseAsync database, string stream,
        IReadOnlyList<GroupInfo> groups, RetentionPolicy policy, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var floors = await ReadFloorsAsync(database, stream, groups, cancellationToken).ConfigureAwait(false);
        var safe = StreamIds.AtTime(now - policy.MinAge);
        string? heldBy = null;
        foreach (var group in floors)
        {
            if (StreamIds.IsBefore(group.FloorId, safe))
            {
                safe = group.FloorId;
                heldBy = group.Group;
            }
        }
        var valve = await ValveFloorAsync(database, stream, policy, now, cancellationToken).ConfigureAwait(false);
        var floor = valve is not null && StreamIds.IsBefore(safe, valve) ? valve : safe;
        return new RetentionFloor(floor, heldBy, safe, floors, valve);
    }

    /// <summary>Each group's floor: the lower of its oldest pending id and the id after its last-delivered id. One
    /// XPENDING summary per group with pending entries (O(its consumers)), all sent at once: the connection pipelines
    /// them, so many groups cost about one round trip, not one each.</summary>
    private static async Task<IReadOnlyList<GroupFloor>> ReadFloorsAsync(IDatabaseAsync database, RedisKey stream,
        IReadOnlyList<GroupInfo> groups, CancellationToken cancellationToken)
    {
        var oldest = groups
            .Select(g => g.Pending > 0
                ? GroupInfoReader.OldestPendingIdAsync(database, stream, g.Name, cancellationToken)
                : Task.FromResult<string?>(null))
            .ToArray();
        await Task.WhenAll(oldest).ConfigureAwait(false);
        var floors = new List<GroupFloor>(groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            var next = StreamIds.Successor(group.LastDeliveredId);
            var oldestPending = oldest[i].Result;
            var floor = oldestPending is not null && StreamIds.IsBefore(oldestPending, next) ? oldestPending : next;
            floors.Add(new GroupFloor(group.Name, floor, group.LastDeliveredId, oldestPending, group.Pending));
        }
        return floors;
    }

    /// <summary>
    /// Trims <paramref name="stream"/> to its floor and <paramref name="deadLetterStream"/> (when given) to
    /// <see cref="RetentionPolicy.DeadLetterMaxAge"/>. Harmless to run concurrently from many instances.
    /// </summary>
    public async Task<RetentionResult> TrimAsync(string stream, string? deadLetterStream, RetentionPolicy policy,
        CancellationToken cancellationToken = default)
    {
        RequireStream(stream);
        ArgumentNullException.ThrowIfNull(policy);
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var version = await VersionAsync(database, cancellationToken).ConfigureAwait(false);
        if (!RedisServerVersion.SupportsMinIdTrimming(version))
        {
            if (Interlocked.Exchange(ref _unsupportedLogged, 1) == 0)
                RetentionLog.Unsupported(_logger, stream, version!.ToString());
            return RetentionResult.Unsupported;
        }

        var groups = await GroupInfoReader.ReadGroupsAsync(database, stream, cancellationToken).ConfigureAwait(false);
        var floor = await ReadFloorAsync(database, stream, groups, policy, cancellationToken).ConfigureAwait(false);
        var losses = new List<GroupLoss>();
        long trimmed = 0;
        if (floor is not null)
        {
            if (floor.ValveApplies)
            {
                foreach (var group in floor.GroupsBehindFloor)
                {
                    var lost = await CountLostAsync(database, stream, group, floor.FloorId, cancellationToken)
                        .ConfigureAwait(false);
                    losses.Add(new GroupLoss(group.Group, lost));
                }
                // Exact, so that what the warning says was lost is what was removed.
                trimmed = (long)await database.ExecuteAsync("XTRIM", (RedisKey)stream, "MINID", floor.FloorId)
                    .WaitAsync(cancellationToken).ConfigureAwait(false);
                var valve = ValveName(policy);
                foreach (var loss in losses)
                {
                    RetentionLog.ValveTrimmed(_logger, valve, stream, floor.FloorId, loss.Group, loss.Lost,
                        LostCountLimit);
                    StreamsTelemetry.Lost.Add(loss.Lost, StreamsTelemetry.GroupTags(stream, loss.Group));
                }
            }
            else
            {
                trimmed = await TrimApproximatelyAsync(database, stream, floor.FloorId, cancellationToken)
                    .ConfigureAwait(false);
            }
        }

        long deadLettersTrimmed = 0;
        if (!string.IsNullOrWhiteSpace(deadLetterStream) && policy.DeadLetterMaxAge is { } deadLetterAge)
        {
            // Dead letters are read by no group: their age is the only thing that matters. Trimmed exactly, in bounded
            // steps that keep the per-group dead-letter counts in step (a whole-stream XTRIM could not).
            var cutoff = StreamIds.AtTime(_time.GetUtcNow() - deadLetterAge);
            deadLettersTrimmed = await DeadLetterCounts.TrimOlderThanAsync(database, deadLetterStream, cutoff,
                MaxDeadLetterTrimStepsPerRun, cancellationToken).ConfigureAwait(false);
        }

        if (trimmed > 0)
            StreamsTelemetry.Trimmed.Add(trimmed, StreamsTelemetry.StreamTags(stream));
        if (trimmed > 0 || deadLettersTrimmed > 0)
            RetentionLog.Trimmed(_logger, trimmed, stream, floor?.FloorId ?? "-", floor?.HeldBy ?? "min age",
                deadLettersTrimmed, deadLetterStream ?? "-");
        return new RetentionResult(true, trimmed, deadLettersTrimmed, floor, losses);
    }

    /// <summary>
    /// <c>XTRIM key MINID ~ floor LIMIT n</c>, repeated while it removes something, at most
    /// <see cref="MaxTrimCallsPerRun"/> times. With <c>~</c> Redis removes at most LIMIT entries per call (10,000 when
    /// not given), so one call per interval could fall behind a busy stream; a few larger calls catch up after a
    /// stalled group moves on, and the bound keeps any one call, and one run, short for the server.
    /// </summary>
    private static async Task<long> TrimApproximatelyAsync(IDatabaseAsync database, string key, string floor,
        CancellationToken cancellationToken)
    {
        long total = 0;
        for (var call = 0; call < MaxTrimCallsPerRun; call++)
        {
            var removed = (long)await database
                .ExecuteAsync("XTRIM", (RedisKey)key, "MINID", "~", floor, "LIMIT", TrimLimitPerCall)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            total += removed;
            if (removed == 0)
                break;
        }
        return total;
    }

    /// <summary>The floor a safety valve demands, or null: <c>now - MaxAge</c>, and past the oldest entries beyond
    /// MaxLength (at most <see cref="ValveLengthStep"/> further per run, so one run stays cheap).</summary>
    private static async Task<string?> ValveFloorAsync(IDatabaseAsync database, string stream, RetentionPolicy policy,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        string? valve = policy.MaxAge is { } maxAge ? StreamIds.AtTime(now - maxAge) : null;
        if (policy.MaxLength is { } maxLength)
        {
            var length = await database.StreamLengthAsync(stream).WaitAsync(cancellationToken).ConfigureAwait(false);
            var excess = length - maxLength;
            if (excess > 0)
            {
                var count = (int)Math.Min(excess, ValveLengthStep);
                var oldest = StreamReplies.ParseEntries(await database
                    .ExecuteAsync("XRANGE", (RedisKey)stream, "-", "+", "COUNT", count)
                    .WaitAsync(cancellationToken).ConfigureAwait(false));
                if (oldest.Length > 0)
                {
                    var byLength = StreamIds.Successor(oldest[^1].Id);
                    if (valve is null || StreamIds.IsBefore(valve, byLength))
                        valve = byLength;
                }
            }
        }
        return valve;
    }

    /// <summary>Entries below <paramref name="floor"/> the group has not acknowledged: its pending ones and those after
    /// its last-delivered id; counted up to <see cref="LostCountLimit"/>.</summary>
    private static async Task<long> CountLostAsync(IDatabaseAsync database, string stream, GroupFloor group,
        string floor, CancellationToken cancellationToken)
    {
        long lost = 0;
        if (group.OldestPendingId is not null)
        {
            var start = "-";
            while (lost < LostCountLimit)
            {
                var rows = StreamReplies.ParsePending(await database
                    .ExecuteAsync("XPENDING", (RedisKey)stream, group.Group, start, "(" + floor, CountPageSize)
                    .WaitAsync(cancellationToken).ConfigureAwait(false));
                lost += rows.Length;
                if (rows.Length < CountPageSize) break;
                start = "(" + rows[^1].Id;
            }
        }
        var from = "(" + group.LastDeliveredId;
        while (lost < LostCountLimit && StreamIds.IsBefore(group.LastDeliveredId, floor))
        {
            var entries = StreamReplies.ParseEntries(await database
                .ExecuteAsync("XRANGE", (RedisKey)stream, from, "(" + floor, "COUNT", CountPageSize)
                .WaitAsync(cancellationToken).ConfigureAwait(false));
            lost += entries.Length;
            if (entries.Length < CountPageSize) break;
            from = "(" + entries[^1].Id;
        }
        return Math.Min(lost, LostCountLimit);
    }

    private static string ValveName(RetentionPolicy policy) => (policy.MaxAge, policy.MaxLength) switch
    {
        ({ } age, { } length) => $"RetentionMaxAge {age}, RetentionMaxLength {length}",
        ({ } age, null) => $"RetentionMaxAge {age}",
        (null, { } length) => $"RetentionMaxLength {length}",
        _ => "none",
    };

    private Task<Version?> VersionAsync(IDatabaseAsync database, CancellationToken cancellationToken)
    {
        lock (_versionLock)
        {
            // Read once; a failed read (Redis down) is tried again next time.
            if (_version is null || _version.IsFaulted || _version.IsCanceled)
                _version = RedisServerVersion.ReadAsync(database, cancellationToken);
            return _version;
        }
    }

    private async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken) =>
        (await _connections.GetSharedAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();

    private static void RequireStream(string stream)
    {
        if (string.IsNullOrWhiteSpace(stream))
            throw new ArgumentException("The stream name is empty: pass the stream key, e.g. 'orders-placed'.",
                nameof(stream));
    }
}

/// <summary>What one retention run did.</summary>
/// <param name="Supported">False when the server lacks XTRIM MINID (nothing was trimmed).</param>
/// <param name="Trimmed">Entries removed from the stream.</param>
/// <param name="DeadLettersTrimmed">Entries removed from the dead-letter stream.</param>
/// <param name="Floor">The floor used; null when the stream does not exist or retention is unsupported.</param>
/// <param name="Losses">Groups that lost unacknowledged entries to a safety valve, and how many.</param>
public sealed record RetentionResult(bool Supported, long Trimmed, long DeadLettersTrimmed, RetentionFloor? Floor,
    IReadOnlyList<GroupLoss> Losses)
{
    internal static RetentionResult Unsupported { get; } = new(false, 0, 0, null, []);
}

/// <summary>Entries <paramref name="Group"/> had not acknowledged that a safety valve trimmed.</summary>
public sealed record GroupLoss(string Group, long Lost);
