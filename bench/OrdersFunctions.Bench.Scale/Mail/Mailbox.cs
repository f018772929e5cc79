using System.Collections.Concurrent;

namespace OrdersFunctions.Bench.Scale.Mail;

/// <summary>What the SMTP server received: how many messages per order id (from the app's Message-ID,
/// <c>&lt;{orderId}@orders-functions&gt;</c>).</summary>
public sealed class Mailbox
{
    private readonly ConcurrentDictionary<string, int> _byOrder = new(StringComparer.Ordinal);
    private long _messages;
    private long _unrecognised;

    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Messages without an order's Message-ID (never expected).</summary>
    public long Unrecognised => Interlocked.Read(ref _unrecognised);

    public void Add(string? orderId)
    {
        Interlocked.Increment(ref _messages);
        if (orderId is null)
            Interlocked.Increment(ref _unrecognised);
        else
            _byOrder.AddOrUpdate(orderId, 1, (_, n) => n + 1);
    }

    /// <summary>Copies per order id received so far.</summary>
    public int CountOf(string orderId) => _byOrder.TryGetValue(orderId, out var n) ? n : 0;

    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(_byOrder);
}
