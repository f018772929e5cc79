namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>What is known about a connection right now, without waiting: connected, or not and why.</summary>
/// <param name="Problem">Null when connected; otherwise why not (<see cref="RedisConnectionProblemKind.Connecting"/>
/// while the first attempt has not finished).</param>
public readonly record struct RedisConnectionStatus(RedisConnectionProblem? Problem)
{
    /// <summary>Connected: commands can be sent.</summary>
    public static RedisConnectionStatus Connected => default;

    /// <summary>Whether commands can be sent now.</summary>
    public bool IsConnected => Problem is null;
}
