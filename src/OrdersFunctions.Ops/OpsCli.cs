using OrdersFunctions.Operations;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.Ops;

/// <summary>
/// The command line's entry point, callable in-process (tests do): <c>[--json] &lt;command&gt; …</c>. Every failure
/// is one line on the error writer (one per problem when settings are wrong) and a non-zero <see cref="ExitCodes"/>
/// value; nothing throws out of here.
/// </summary>
public static class OpsCli
{
    private static readonly IReadOnlyList<IOpsCommand> Commands = typeof(OpsCli).Assembly.GetTypes()
        .Where(t => typeof(IOpsCommand).IsAssignableFrom(t)
            && t is { IsAbstract: false, IsInterface: false }
            && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (IOpsCommand)Activator.CreateInstance(t)!)
        .OrderBy(c => c.Name, StringComparer.Ordinal)
        .ToArray();

    public static async Task<int> RunAsync(IReadOnlyList<string> args, OpsSettings settings, TextWriter output,
        TextWriter error, CancellationToken cancellationToken = default, OpsConsole? console = null)
    {
        var json = args.Contains("--json");
        var rest = args.Where(a => a != "--json").ToList();
        if (rest.Count == 0 || rest[0] is "help" or "--help" or "-h")
        {
            WriteUsage(rest.Count == 0 ? error : output);
            return rest.Count == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }
        var command = Commands.FirstOrDefault(c => c.Name == rest[0]);
        if (command is null)
        {
            error.WriteLine(
                $"Unknown command '{rest[0]}'. Commands: {string.Join(", ", Commands.Select(c => c.Name))}.");
            WriteUsage(error);
            return ExitCodes.Usage;
        }
        var topology = settings.Topology();
        if (topology.Errors.Count > 0)
        {
            // The same problems the app would refuse to start with.
            foreach (var problem in topology.Errors)
                error.WriteLine(problem);
            return ExitCodes.Failed;
        }
        var connectionString = topology.ConnectionString!;
        RedisConnectionFactory? connections = null;
        try
        {
            connections = new RedisConnectionFactory(connectionString);
            var context = new OpsContext(
                settings, topology, output, error, json, connections, console ?? OpsConsole.None);
            return await command.RunAsync(context, OpsArgumentsFor(rest.Skip(1).ToList()), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OpsUsageException ex)
        {
            error.WriteLine(ex.Message);
            foreach (var line in command.Usage)
                error.WriteLine("  " + line);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: one line, not a stack trace. A replay cut off mid-way keeps its 'replaying' marker (see
            // docs/dead-letters.md).
            error.WriteLine("Cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or TimeoutException)
        {
            error.WriteLine(
                $"Redis at {Endpoint(connectionString)} is unreachable (setting RedisConnection): " +
                "start it (./run.sh does) or fix the setting.");
            return ExitCodes.RedisUnreachable;
        }
        catch (Exception ex) when (ex is RedisException or ArgumentException or InvalidOperationException)
        {
            error.WriteLine(ex.Message);
            return ExitCodes.Failed;
        }
        finally
        {
            if (connections is not null)
                await connections.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Commands parse their own switches; these are the ones any command may take.
    private static OpsArguments OpsArgumentsFor(List<string> args) =>
        OpsArguments.Parse(
            args, new HashSet<string>(StringComparer.Ordinal) { "--force", "--all", "--dry-run", "--yes" });

    private static void WriteUsage(TextWriter writer)
    {
        writer.WriteLine("Usage: ./ops.sh [--json] <command> …");
        foreach (var command in Commands)
            foreach (var line in command.Usage)
                writer.WriteLine("  " + line);
    }

    /// <summary>The first endpoint of the connection string, never its password.</summary>
    private static string Endpoint(string connectionString)
    {
        try
        {
            return ConfigurationOptions.Parse(connectionString).EndPoints.FirstOrDefault()?.ToString()
                ?? "(no endpoint)";
        }
        catch (ArgumentException)
        {
            return "(unreadable connection string)";
        }
    }
}
