using OrdersFunctions.RedisStreams.Telemetry;

namespace OrdersFunctions.RedisStreams.Consuming;

/// <summary>How the subscriber's loops try a side step and pause after a failure.</summary>
internal static class Attempt
{
    /// <summary>Runs <paramref name="operation"/>; a failure is reported (an outage once, anything else as an error)
    /// and turned into false.</summary>
    public static async Task<bool> RunAsync(
        Func<Task> operation, string name, SubscriberContext context, CancellationToken stopping)
    {
        try
        {
            await operation().ConfigureAwait(false);
            return true;
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (RedisErrors.IsTransient(ex))
        {
            context.Outage.Failed(ex, name);
            return false;
        }
        catch (Exception ex)
        {
            Log.UnexpectedError(context.Logger, ex, name, context.Stream, context.Group);
            return false;
        }
    }

    /// <summary>Waits <paramref name="delay"/>, or less when stopping.</summary>
    public static async Task PauseAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping; the caller's loop condition ends it.
        }
    }
}
