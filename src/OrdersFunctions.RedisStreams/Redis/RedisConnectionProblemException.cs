namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>Carries a <see cref="RedisConnectionProblem"/> known before any connect (an unusable setting) as the inner
/// exception of the <see cref="StackExchange.Redis.RedisConnectionException"/> callers already handle.</summary>
public sealed class RedisConnectionProblemException : Exception
{
    public RedisConnectionProblemException(RedisConnectionProblem problem)
        : base((problem ?? throw new ArgumentNullException(nameof(problem))).Message)
    {
        Problem = problem;
    }

    /// <summary>The problem.</summary>
    public RedisConnectionProblem Problem { get; }
}
