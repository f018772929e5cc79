namespace OrdersFunctions.Ops;

/// <summary>
/// One top-level command (<c>./ops.sh &lt;name&gt; …</c>). Implementations in this assembly with a parameterless
/// constructor are found by <see cref="OpsCli"/>, so a new command (e.g. <c>status</c>) is one new file.
/// </summary>
public interface IOpsCommand
{
    /// <summary>The word after <c>./ops.sh</c>, e.g. <c>dead-letters</c>.</summary>
    string Name { get; }

    /// <summary>Usage lines shown by <c>./ops.sh help</c> and after a usage error.</summary>
    IReadOnlyList<string> Usage { get; }

    /// <summary>Runs the command with the arguments after its name; returns an <see cref="ExitCodes"/> value.</summary>
    Task<int> RunAsync(OpsContext context, OpsArguments arguments, CancellationToken cancellationToken);
}
