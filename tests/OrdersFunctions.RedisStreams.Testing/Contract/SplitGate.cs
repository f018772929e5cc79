namespace OrdersFunctions.RedisStreams.Testing.Contract;

/// <summary>
/// Holds every handler until each of the consumers sharing a group has received an entry, so that how evenly the
/// entries split depends on the group, not on which consumer's first read happened to come first on a busy machine.
/// With one entry at a time per consumer, a held consumer keeps at most two entries, leaving the rest for the others.
/// </summary>
public sealed class SplitGate(IReadOnlyList<MessageLog> logs)
{
    private readonly TaskCompletionSource _everyoneHasSome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Records <paramref name="message"/> in <paramref name="log"/>, then waits until every log has
    /// one.</summary>
    public Task PassAsync(MessageLog log, ReceivedMessage message, CancellationToken cancellationToken)
    {
        log.Add(message);
        if (logs.All(l => l.Count > 0))
            _everyoneHasSome.TrySetResult();
        return _everyoneHasSome.Task.WaitAsync(cancellationToken);
    }
}
