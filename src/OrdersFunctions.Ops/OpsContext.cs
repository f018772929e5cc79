using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.Ops;

/// <summary>What a command works with: the app's settings and topology, output, the output format, one Redis
/// connection, and whether a person is at a terminal to confirm.</summary>
public sealed class OpsContext(OpsSettings settings, OpsTopology topology, TextWriter output, TextWriter error,
    bool json, IRedisConnectionFactory connections, OpsConsole console)
{
    public OpsSettings Settings { get; } = settings;
    public OpsTopology Topology { get; } = topology;
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>True with <c>--json</c>: write JSON for scripts instead of tables.</summary>
    public bool Json { get; } = json;

    public IRedisConnectionFactory Connections { get; } = connections;

    /// <summary>The person at the terminal, when there is one.</summary>
    public OpsConsole Console { get; } = console;
}

/// <summary>Asks the person at the terminal; <see cref="None"/> when the command line runs from a script.</summary>
public class OpsConsole
{
    /// <summary>No terminal: nothing can be confirmed.</summary>
    public static readonly OpsConsole None = new();

    /// <summary>True when a person can answer (standard input and output are a terminal).</summary>
    public virtual bool IsInteractive => false;

    /// <summary>Asks <paramref name="question"/> and returns the answer line, or null without a terminal.</summary>
    public virtual string? Ask(string question) => null;
}

/// <summary>The real terminal.</summary>
public sealed class TerminalConsole : OpsConsole
{
    public override bool IsInteractive => !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected;

    public override string? Ask(string question)
    {
        System.Console.Write(question);
        return System.Console.ReadLine();
    }
}
