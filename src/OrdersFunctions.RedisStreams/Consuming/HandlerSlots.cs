namespace OrdersFunctions.RedisStreams.Consuming;

/// <summary>
/// One slot per running handler (a batch takes one). The read loop and the claim sweep take a slot before dispatching,
/// which bounds what a subscriber holds in memory to one read plus MaxConcurrency handlers' worth; a delivery gives
/// its slot back when it is settled. Every slot back in hand means every handler has returned.
/// </summary>
internal sealed class HandlerSlots
{
    private readonly SemaphoreSlim _slots;
    private readonly int _count;

    public HandlerSlots(int count)
    {
        _count = count;
        _slots = new SemaphoreSlim(count, count);
    }

    /// <summary>Slots free now.</summary>
    public int Free => _slots.CurrentCount;

    /// <summary>Waits for a free slot; false when <paramref name="stopping"/> ended the wait.</summary>
    public async ValueTask<bool> TryTakeAsync(CancellationToken stopping)
    {
        try
        {
            await _slots.WaitAsync(stopping).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Release() => _slots.Release();

    /// <summary>Takes every slot back, waiting at most until <paramref name="deadline"/> is cancelled.</summary>
    /// <returns>How many handlers were still running when the wait ended (0 when all returned).</returns>
    public async Task<int> DrainAsync(CancellationToken deadline)
    {
        var acquired = 0;
        try
        {
            for (; acquired < _count; acquired++)
                await _slots.WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The caller's deadline: report who is still running.
        }
        return _count - acquired;
    }
}
