namespace OrdersFunctions.RedisStreams.Testing;

/// <summary>
/// Waits in tests: poll a condition until it holds or a generous timeout passes, then fail with a message that says
/// what was expected and what was last seen. Never a fixed sleep, never a timing assertion.
/// </summary>
public static class Eventually
{
    /// <summary>The default wait: generous, because a loaded CI machine is slow, and a passing test never waits it
    /// out.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>Polls <paramref name="condition"/> until true; on timeout throws with
    /// <paramref name="expectation"/> and the <paramref name="lastSeen"/> state.</summary>
    public static async Task HoldsAsync(
        Func<Task<bool>> condition,
        string expectation,
        Func<Task<string>>? lastSeen = null,
        TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = System.Diagnostics.Stopwatch.StartNew(); // monotonic: a clock adjustment cannot cut the wait short
        while (true)
        {
            if (await condition().ConfigureAwait(false))
                return;
            if (clock.Elapsed >= limit)
            {
                var seen = lastSeen is null ? "" : " Last seen: " + await lastSeen().ConfigureAwait(false);
                throw new TimeoutException($"Expected within {limit.TotalSeconds:0.#} s: {expectation}.{seen}");
            }
            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    /// <summary>Synchronous-condition overload.</summary>
    public static Task HoldsAsync(
        Func<bool> condition,
        string expectation,
        Func<string>? lastSeen = null,
        TimeSpan? timeout = null) =>
        HoldsAsync(
            () => Task.FromResult(condition()),
            expectation,
            lastSeen is null ? null : () => Task.FromResult(lastSeen()),
            timeout);

    /// <summary>Awaits <paramref name="task"/> up to the timeout, failing with <paramref name="what"/>
    /// otherwise.</summary>
    public static async Task<T> WithinAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        try
        {
            return await task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Expected within {limit.TotalSeconds:0.#} s: {what}.");
        }
    }

    /// <inheritdoc cref="WithinAsync{T}(Task{T}, string, TimeSpan?)"/>
    public static async Task WithinAsync(Task task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        try
        {
            await task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Expected within {limit.TotalSeconds:0.#} s: {what}.");
        }
    }
}
