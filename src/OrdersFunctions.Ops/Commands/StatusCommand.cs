using System.Text.Json;
using System.Text.Json.Serialization;
using OrdersFunctions.Ops.Status;
using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Retention;

namespace OrdersFunctions.Ops.Commands;

/// <summary>
/// <c>./ops.sh [--json] status [--stream s]</c>: the overview of the orders stream, its retention floor, dead letters,
/// groups and consumers, over <see cref="StreamOverviewReader"/> and judged by the app's settings (retention sizes,
/// ClaimMinIdle), so it shows what <c>GET /api/ops/overview</c> shows.
/// </summary>
public sealed class StatusCommand : IOpsCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string Name => "status";

    public IReadOnlyList<string> Usage =>
    [
        "status [--stream s]",
    ];

    public async Task<int> RunAsync(OpsContext context, OpsArguments arguments, CancellationToken cancellationToken)
    {
        if (arguments.Positional.Count > 0)
            throw new OpsUsageException($"status takes no words after it ('{arguments.Positional[0]}'); to pick a stream use --stream.");
        var stream = arguments.Option("--stream") ?? context.Settings.OrdersStream;
        arguments.RejectUnused();

        var engine = context.Settings.EngineOptions();
        var request = new StreamOverviewRequest(stream, context.Settings.DeadLetterStreamFor(stream), RetentionPolicy.From(engine), engine.ClaimMinIdle);
        var reader = new StreamOverviewReader(context.Connections);
        var overview = await reader.ReadAsync([request], cancellationToken).ConfigureAwait(false);

        if (context.Json)
            context.Out.WriteLine(JsonSerializer.Serialize(StreamOverviewContract.Of(DateTimeOffset.UtcNow, overview), JsonOptions));
        else
            foreach (var one in overview)
                StatusWriter.Write(context.Out, one);
        return ExitCodes.Ok;
    }
}
