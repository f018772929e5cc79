namespace OrdersFunctions.RedisStreams.Testing.Servers;

/// <summary>Where <see cref="RedisServerFixture"/> found its Redis, in resolution order.</summary>
public enum RedisServerSource
{
    /// <summary>The connection string in <see cref="RedisServerFixture.ConnectionStringVariable"/>.</summary>
    EnvironmentVariable,

    /// <summary>A container started with Testcontainers.Redis (a Docker engine answered).</summary>
    Container,

    /// <summary>A <c>redis-server</c> child process on a free loopback port.</summary>
    LocalProcess,
}
