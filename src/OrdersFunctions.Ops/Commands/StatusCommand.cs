using OrdersFunctions.Operations;
using OrdersFunctions.Operations.Overview;
using OrdersFunctions.Ops.Status;
using OrdersFunctions.RedisStreams.Overview;

namespace OrdersFunctions.Ops.Commands;

/// <summary>
/// <c>./ops.sh [--json] status [--stream s]</c>: the overview of the app's stream (or another), its retention floor,
/// dead letters, groups and consumers, judged by the options the app's triggers run with, so it shows what
/// <c>GET /api/ops/overview</c> shows.
/// </summary>
public sealed class StatusCommand : IOpsCommand
{
    public string Name => "status";

    public IReadOnlyList<string> Usage =>
    [
        "status [--stream s]",
    ];

    public async Task<int> RunAsync(OpsContext context, OpsArguments arguments, CancellationToken cancellationToken)
    {
        if (arguments.Positional.Count > 0)
            throw new OpsUsageException(
                $"status takes no words after it ('{arguments.Positional[0]}'); to pick a stream use --stream.");
        var stream = arguments.Option("--stream") ?? context.Topology.DefaultStream!;
        arguments.RejectUnused();

        var reader = new StreamOverviewReader(context.Connections);
        var overview = await reader.ReadAsync([context.Topology.OverviewRequest(stream)], cancellationToken)
            .ConfigureAwait(false);
        if (!overview[0].Exists)
        {
            context.Error.WriteLine(context.Topology.Find(stream) is not null
                ? $"No stream '{stream}' in Redis yet: the app's stream functions create it when they start (./run.sh)."
                : $"No stream '{OpsTexts.Cut(stream)}' in Redis: the app reads " +
                  $"{string.Join(", ", context.Topology.Streams.Select(s => s.Name))} (leave out --stream for it).");
            return ExitCodes.NotFound;
        }
        if (context.Json)
            context.Out.WriteLine(
                OpsJson.Serialize(OverviewContract.Of(DateTimeOffset.UtcNow, overview), indented: true));
        else
            foreach (var one in overview)
                StatusWriter.Write(context.Out, one);
        return ExitCodes.Ok;
    }
}
