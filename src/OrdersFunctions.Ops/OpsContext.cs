using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.Ops;

/// <summary>What a command works with: settings, output, the output format and one Redis connection.</summary>
public sealed class OpsContext(OpsSettings settings, TextWriter output, TextWriter error, bool json, IRedisConnectionFactory connections)
{
    public OpsSettings Settings { get; } = settings;
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>True with <c>--json</c>: write JSON for scripts instead of tables.</summary>
    public bool Json { get; } = json;

    public IRedisConnectionFactory Connections { get; } = connections;
}
