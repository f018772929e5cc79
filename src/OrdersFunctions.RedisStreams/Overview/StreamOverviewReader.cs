using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Retention;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Overview;

/// <summary>
/// Reads what an operator needs about streams, their groups and consumers, straight from Redis (nothing cached):
/// the figures behind the ops overview, the health check and the gauges. Read-only, thread-safe, shared connection.
/// <para>
/// Cost per stream: O(groups + consumers), never O(entries), so it may run on a timer against any size of stream:
/// XINFO STREAM of the stream and of its dead-letter stream, XINFO GROUPS, the kept dead-letter counts (a hash), and
/// per group XINFO CONSUMERS, the consumers' "seen" record and, when entries are pending, an XPENDING summary. A lag
/// Redis cannot tell comes from its counters or, when it has none, from a count capped by
/// <see cref="StreamOverviewRequest.LagCountBudget"/> (see <see cref="LagEstimate"/>). Commands that do not depend on
/// each other are sent together, so a read takes two or three round trips, not one per group and command.
/// </para>
/// <para>Only the retention safety valve <see cref="RetentionPolicy.MaxLength"/>, when set and exceeded, adds one
/// XRANGE of up to 10,000 entries (the valve's step) to find the floor it would trim to.</para>
/// </summary>
public sealed class StreamOverviewReader
{
    /// <summary>Kept for callers of the earlier scan: the most entries a count used to scan. Nothing scans that many
    /// now (see <see cref="StreamOverviewRequest.LagCountBudget"/>).</summary>
    public const int CountLimit = 100_000;

    private const int MinLagCountPerGroup = 10;
    private const int MaxLagCountPerGroup = 1_000;

    private readonly IRedisConnectionFactory _connections;
    private readonly StreamRetention _retention;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HashSet<string> _deadLetterCounting = new(StringComparer.Ordinal);

    public StreamOverviewReader(IRedisConnectionFactory connections) : this(connections, null)
    {
    }

    /// <param name="connections">The shared connection.</param>
    /// <param name="logger">Where a failed background count of old dead letters is reported.</param>
    public StreamOverviewReader(IRedisConnectionFactory connections, ILogger<StreamOverviewReader>? logger)
        : this(connections, TimeProvider.System, logger)
    {
    }

    internal StreamOverviewReader(IRedisConnectionFactory connections, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connections);
        _connections = connections;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _retention = new StreamRetention(connections, null, time);
    }

    /// <summary>The overview of each requested stream, in the order given (read concurrently).</summary>
    public async Task<IReadOnlyList<StreamOverview>> ReadAsync(IEnumerable<StreamOverviewRequest> streams,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var requests = streams.ToArray();
        foreach (var request in requests)
            ArgumentException.ThrowIfNullOrWhiteSpace(request?.Stream, nameof(streams));
        var database = (await _connections.GetSharedAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
        return await Task.WhenAll(requests.Select(r => ReadOneAsync(database, r, cancellationToken)))
            .ConfigureAwait(false);
    }

    /// <summary>The overview of one stream.</summary>
    public async Task<StreamOverview> ReadAsync(StreamOverviewRequest stream,
        CancellationToken cancellationToken = default) =>
        (await ReadAsync([stream], cancellationToken).ConfigureAwait(false))[0];

    private async Task<StreamOverview> ReadOneAsync(IDatabase database, StreamOverviewRequest request,
        CancellationToken cancellationToken)
    {
        var policy = request.Policy ?? RetentionPolicy.Default;
        var now = _time.GetUtcNow();
        RedisKey key = request.Stream;
        var deadLetterStream = request.EffectiveDeadLetterStream;

        // Round trip 1: everything that needs nothing else.
        var streamTask = StreamInfoReader.ReadAsync(database, key, cancellationToken);
        var groupsTask = GroupInfoReader.ReadGroupsAsync(database, key, cancellationToken);
        var deadLetterTask = StreamInfoReader.ReadAsync(database, deadLetterStream, cancellationToken);
        var countsTask = request.CountDeadLetters
            ? ReadDeadLetterCountsAsync(database, deadLetterStream, cancellationToken)
            : Task.FromResult<DeadLetterCountsReading?>(null);
        await Task.WhenAll(streamTask, groupsTask, deadLetterTask, countsTask).ConfigureAwait(false);
        var info = streamTask.Result;
        // XINFO GROUPS answers "no such key" (no groups) exactly when XINFO STREAM does.
        var groups = info is null ? [] : groupsTask.Result;
        var deadLetters = deadLetterTask.Result;
        var counts = countsTask.Result;
        if (counts is not null && deadLetters is null or { Length: 0 })
            counts = new DeadLetterCountsReading(true, new Dictionary<string, long>()); // none: exactly zero each
        else if (counts is { Exact: false })
            CountOldDeadLettersInBackground(database, deadLetterStream, policy);

        // Round trip 2: per group, all at once; the retention floor's XPENDING summaries among them.
        var length = info?.Length ?? 0;
        var floorTask = info is null
            ? Task.FromResult<RetentionFloor?>(null)
            : _retention.ReadFloorAsync(database, request.Stream, groups, policy, cancellationToken);
        var perGroupCount = LagCountPerGroup(request.LagCountBudget, groups, info?.EntriesAdded, length);
        var lagTasks = groups
            .Select(g => GroupLagReader.EstimateAsync(database, key, g, length, info?.EntriesAdded, perGroupCount,
                cancellationToken))
            .ToArray();
        var consumerTasks = groups
            .Select(g => ConsumerListReader.ReadAsync(database, request.Stream, g.Name, request.LivenessOf(g.Name), now,
                cancellationToken))
            .ToArray();
        await Task.WhenAll(lagTasks.Cast<Task>().Concat(consumerTasks).Append(floorTask)).ConfigureAwait(false);
        var floor = floorTask.Result;

        var groupOverviews = new List<GroupOverview>(groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            var oldestPending = floor?.Groups.FirstOrDefault(g => g.Group == group.Name)?.OldestPendingId;
            var lag = lagTasks[i].Result;
            var consumers = consumerTasks[i].Result;
            var shown = ConsumerSelection.Cap(consumers, request.MaxConsumersPerGroup);
            groupOverviews.Add(new GroupOverview(
                group.Name,
                lag.Entries,
                lag.Source != LagSource.Reported,
                group.Pending,
                oldestPending is null ? null : StreamIds.AgeSeconds(oldestPending, now),
                counts?.For(request.Stream, group.Name),
                group.LastDeliveredId,
                group.EntriesRead,
                shown)
            {
                LagEstimate = lag,
                Liveness = request.LivenessOf(group.Name),
                OldestPendingId = oldestPending,
                ConsumerCount = consumers.Count,
                ConsumersNotShown = consumers.Count - shown.Count,
                ConsumerStates = ConsumerStateCounts.Of(consumers),
            });
        }

        return new StreamOverview(
            request.Stream,
            info is not null,
            length,
            info?.FirstId,
            info?.LastId,
            info?.FirstId is { } first ? StreamIds.AgeSeconds(first, now) : null,
            new RetentionOverview(floor?.FloorId, floor?.HeldBy, policy.MinAge.TotalSeconds,
                policy.MaxAge?.TotalSeconds, policy.MaxLength),
            deadLetterStream,
            deadLetters?.Length ?? 0,
            deadLetters?.LastId,
            groupOverviews)
        {
            EntriesAdded = info?.EntriesAdded,
            DeadLetterCountsExact = counts?.Exact,
        };
    }

    /// <summary>The count each group whose lag no counter tells may make: the budget shared between them.</summary>
    private static int LagCountPerGroup(int budget, IReadOnlyList<GroupInfo> groups, long? entriesAdded, long length)
    {
        var needing = groups.Count(g => LagEstimate.FromCounters(g.Lag, entriesAdded, g.EntriesRead, length) is null);
        return needing == 0
            ? MaxLagCountPerGroup
            : Math.Clamp(Math.Max(0, budget) / needing, MinLagCountPerGroup, MaxLagCountPerGroup);
    }

    /// <summary>The kept counts, or null when the dead-letter stream's name cannot have keys beside it (a '}' without
    /// a hash tag: no dead letter could have been written there by the engine either).</summary>
    private static async Task<DeadLetterCountsReading?> ReadDeadLetterCountsAsync(IDatabaseAsync database,
        string deadLetterStream, CancellationToken cancellationToken)
    {
        if (!StreamKeys.HasSlotPrefix(deadLetterStream))
            return null;
        return await DeadLetterCounts.ReadAsync(database, deadLetterStream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Dead letters written before the counts existed are counted once, in bounded steps, by whoever notices first;
    /// the overview must not wait for it (a large stream takes many steps), so it starts it and reports the counts as
    /// not exact until it is done. One count per dead-letter stream per reader at a time (and per process, inside
    /// <see cref="DeadLetterCounts.EnsureCompleteAsync"/>).
    /// </summary>
    private void CountOldDeadLettersInBackground(IDatabase database, string deadLetterStream, RetentionPolicy policy)
    {
        var keepFor = policy.DeadLetterMaxAge ?? StreamSubscriberOptions.DefaultDeadLetterMaxAge;
        lock (_deadLetterCounting)
        {
            if (!_deadLetterCounting.Add(deadLetterStream))
                return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await DeadLetterCounts.EnsureCompleteAsync(database, deadLetterStream, keepFor).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The next read starts it again; until then the counts stay marked as not exact.
                OverviewLog.DeadLetterCountFailed(_logger, deadLetterStream, ex.Message);
            }
            finally
            {
                lock (_deadLetterCounting)
                    _deadLetterCounting.Remove(deadLetterStream);
            }
        });
    }
}
