using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>
/// The connection of a setting whose value cannot be a connection
/// (see <see cref="RedisConnectionFactory.ForSetting"/>): its status and every connect report the problem, as a
/// <see cref="RedisConnectionException"/> so that callers treat it as Redis being unavailable (a 503, a retried
/// start) rather than crashing.
/// </summary>
internal sealed class UnusableRedisConnection(RedisConnectionProblem problem) : IRedisConnectionFactory
{
    public RedisConnectionStatus Status => new(problem);

    public Task<IConnectionMultiplexer> GetSharedAsync(CancellationToken cancellationToken = default) =>
        Task.FromException<IConnectionMultiplexer>(Failure());

    public Task<IConnectionMultiplexer> ConnectDedicatedAsync(
        string clientName, CancellationToken cancellationToken = default) =>
        Task.FromException<IConnectionMultiplexer>(Failure());

    public Task StartConnectingAsync(TimeSpan maxWait, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    public RedisConnectionProblem DescribeFailure(Exception exception) => problem;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private RedisConnectionException Failure() =>
        new(ConnectionFailureType.UnableToResolvePhysicalConnection, problem.Message,
            new RedisConnectionProblemException(problem));
}
