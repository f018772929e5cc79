using System.Collections.Concurrent;

namespace OrdersFunctions.RedisStreams.Testing.Contract;

/// <summary>Records the deliveries a handler saw, thread-safe, for scenarios to wait on and inspect.</summary>
public sealed class MessageLog
{
    private readonly ConcurrentQueue<ReceivedMessage> _received = new();

    /// <summary>Every delivery so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedMessage> All => _received.ToArray();

    /// <summary>How many deliveries so far.</summary>
    public int Count => _received.Count;

    /// <summary>A handler that records and succeeds.</summary>
    public Task Record(ReceivedMessage message, CancellationToken cancellationToken)
    {
        Add(message);
        return Task.CompletedTask;
    }

    /// <summary>Records a delivery (for handlers that do more than record).</summary>
    public void Add(ReceivedMessage message) => _received.Enqueue(message);

    /// <summary>The distinct message ids seen.</summary>
    public IReadOnlySet<string> MessageIds => All.Select(m => m.MessageId).ToHashSet();

    /// <summary>Deliveries per message id.</summary>
    public IReadOnlyDictionary<string, int> CountsByMessageId =>
        All.GroupBy(m => m.MessageId).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Waits until every id in <paramref name="messageIds"/> was seen at least once.</summary>
    public Task WaitForAllAsync(IEnumerable<string> messageIds, string who, TimeSpan? timeout = null)
    {
        var expected = messageIds.ToHashSet();
        return Eventually.HoldsAsync(
            () => expected.IsSubsetOf(MessageIds),
            $"{who} receives all {expected.Count} messages",
            () => $"{expected.Except(MessageIds).Count()} missing of {expected.Count}, {Count} deliveries",
            timeout);
    }

    /// <summary>Waits until at least <paramref name="count"/> deliveries were seen.</summary>
    public Task WaitForCountAsync(int count, string who, TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(
            () => Count >= count, $"{who} gets {count} deliveries", () => $"{Count} deliveries", timeout);
}
