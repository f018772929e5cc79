using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.App;

/// <summary>
/// Opens the shared Redis connection when the app starts rather than on the first request, so that request already
/// finds the connection's state known (<see cref="RedisGate"/>). Waits at most the engine's
/// <see cref="StreamSubscriber.FirstAttemptWait"/> for the first outcome, as the stream functions do, so a Redis
/// that is down never holds up the start; says in one line when Redis cannot be used.
/// </summary>
public sealed partial class RedisWarmup(IRedisConnectionFactory connections, ILogger<RedisWarmup> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await connections.StartConnectingAsync(StreamSubscriber.FirstAttemptWait, cancellationToken)
            .ConfigureAwait(false);
        if (connections.Status.Problem is { } problem)
            LogUnavailable(problem.Message);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Redis cannot be used at start: {Problem} Routes that need it answer 503 until it can")]
    private partial void LogUnavailable(string problem);
}
