using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.App;

/// <summary>
/// Whether Redis can be used right now, from the shared connection's known state rather than a command: a command
/// sent while no connection is open waits out StackExchange.Redis's connect or backlog timeout (5 s and more) before
/// it fails, so every route that needs Redis asks here first and answers 503 at once, naming the problem.
/// </summary>
public sealed class RedisGate(IRedisConnectionFactory connections)
{
    /// <summary>Null when the shared connection is up; otherwise why not (the setting and the fix).</summary>
    public RedisConnectionProblem? Problem => connections.Status.Problem;

    /// <summary>The problem behind a Redis failure a route met, as <see cref="Problem"/> names it.</summary>
    public RedisConnectionProblem Describe(Exception exception) => connections.DescribeFailure(exception);
}
