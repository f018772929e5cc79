using System.Globalization;
using OrdersFunctions.Operations;
using OrdersFunctions.Operations.DeadLetters;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.Ops.Commands;

/// <summary><c>./ops.sh dead-letters list|show|replay|discard …</c> over <see cref="DeadLetterStore"/>, with the
/// filters, sentences and JSON of the operator surface (the same as the HTTP API's).</summary>
public sealed class DeadLettersCommand : IOpsCommand
{
    private const int TableErrorWidth = 70;

    // The filter's parameters as command-line options.
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["stream"] = "--stream", ["group"] = "--group", ["errorType"] = "--error-type", ["from"] = "--from",
        ["to"] = "--to", ["limit"] = "--limit", ["after"] = "--after",
    };

    public string Name => "dead-letters";

    public IReadOnlyList<string> Usage =>
    [
        "dead-letters list [--stream s] [--group g] [--error-type t] [--from time] [--to time] " +
        "[--limit n] [--after id]",
        "dead-letters show <id> [--stream s]",
        "dead-letters replay <id> [--force] [--stream s]",
        "dead-letters discard <id> [--force] [--stream s]",
        "dead-letters replay --all [filters] (--dry-run | --yes) [--force]   (asks first on a terminal)",
        "dead-letters discard --all [filters] (--dry-run | --yes) [--force]  (asks first on a terminal)",
        "dead-letters recount [--stream s]   (after dead letters were deleted by hand: counts them again)",
    ];

    public async Task<int> RunAsync(OpsContext context, OpsArguments arguments, CancellationToken cancellationToken)
    {
        var action = arguments.Positional.Count > 0
            ? arguments.Positional[0]
            : throw new OpsUsageException("Say what to do: list, show, replay, discard or recount.");
        var store = new DeadLetterStore(
            context.Connections, DeadLetterStoreSettings.From(context.Settings.Configuration, context.Topology));
        switch (action)
        {
            case "list":
            {
                var query = Query(context, arguments);
                arguments.RejectUnused();
                return await ListAsync(context, store, query, cancellationToken).ConfigureAwait(false);
            }
            case "show":
            {
                var (deadLetterStream, id) = (DeadLetterStream(context, arguments), Id(arguments));
                arguments.RejectUnused();
                var deadLetter = await store.GetAsync(deadLetterStream, id, cancellationToken).ConfigureAwait(false);
                if (deadLetter is null)
                {
                    context.Error.WriteLine(OpsTexts.NoSuchDeadLetter(id));
                    return ExitCodes.NotFound;
                }
                WriteDetail(context, deadLetter);
                return ExitCodes.Ok;
            }
            case "replay" or "discard" when arguments.Flag("--all"):
                return await BulkAsync(context, store, arguments, replay: action == "replay", cancellationToken)
                    .ConfigureAwait(false);
            case "replay" or "discard":
            {
                var (deadLetterStream, id) = (DeadLetterStream(context, arguments), Id(arguments));
                var force = arguments.Flag("--force");
                arguments.RejectUnused();
                var result = action == "replay"
                    ? await store.ReplayAsync(deadLetterStream, id, force, cancellationToken).ConfigureAwait(false)
                    : await store.DiscardAsync(deadLetterStream, id, force, cancellationToken).ConfigureAwait(false);
                return WriteAction(context, result, store.ReplayCap);
            }
            case "recount":
            {
                var deadLetterStream = DeadLetterStream(context, arguments);
                arguments.RejectUnused();
                var database = (await context.Connections.GetSharedAsync(cancellationToken).ConfigureAwait(false))
                    .GetDatabase();
                await DeadLetterCounts.ResetAsync(database, deadLetterStream, cancellationToken).ConfigureAwait(false);
                await DeadLetterCounts.EnsureCompleteAsync(
                        database, deadLetterStream, store.OutcomeRetention, cancellationToken)
                    .ConfigureAwait(false);
                var counts = await DeadLetterCounts.ReadAsync(database, deadLetterStream, cancellationToken)
                    .ConfigureAwait(false);
                context.Out.WriteLine($"Counted the dead letters in {deadLetterStream} again: "
                    + $"{counts.ByField.Values.Sum()} in {counts.ByField.Count} group(s).");
                return ExitCodes.Ok;
            }
            default:
                throw new OpsUsageException(
                    $"Unknown dead-letters action '{action}': use list, show, replay, discard or recount.");
        }
    }

    /// <summary>
    /// A replay or discard of every dead letter a filter matches changes many at once, so it goes ahead only when asked
    /// twice: with <c>--yes</c>, or on a terminal after the count is shown and confirmed. <c>--dry-run</c> only counts.
    /// </summary>
    private static async Task<int> BulkAsync(
        OpsContext context,
        DeadLetterStore store,
        OpsArguments arguments,
        bool replay,
        CancellationToken cancellationToken)
    {
        var verb = replay ? "replay" : "discard";
        var query = Query(context, arguments);
        var dryRun = arguments.Flag("--dry-run");
        var yes = arguments.Flag("--yes");
        var force = arguments.Flag("--force");
        arguments.RejectUnused();
        Task<DeadLetterBulkResult> Run(bool onlyCount) => replay
            ? store.ReplayMatchingAsync(query, onlyCount, force, cancellationToken)
            : store.DiscardMatchingAsync(query, onlyCount, force, cancellationToken);

        if (!dryRun && !yes)
        {
            if (!context.Console.IsInteractive)
                throw new OpsUsageException(
                    $"'dead-letters {verb} --all' changes every dead letter the filters match: " +
                    "add --yes to go ahead (see how many first with --dry-run).");
            var count = await Run(onlyCount: true).ConfigureAwait(false);
            if (count.Matched == 0)
            {
                context.Out.WriteLine("No dead letters match; nothing to do.");
                return ExitCodes.Ok;
            }
            var answer = context.Console.Ask(
                $"{count.Matched} dead letter(s) match. {char.ToUpperInvariant(verb[0])}{verb[1..]} them? " +
                "Type 'yes' to go on: ");
            if (!string.Equals(answer?.Trim(), "yes", StringComparison.OrdinalIgnoreCase))
            {
                context.Error.WriteLine("Not confirmed; nothing changed.");
                return ExitCodes.NotConfirmed;
            }
        }
        var result = await Run(dryRun).ConfigureAwait(false);
        if (context.Json)
            context.Out.WriteLine(OpsJson.Serialize(DeadLetterBulkResponse.From(result), indented: true));
        else
            context.Out.WriteLine(OpsTexts.DescribeBulk(result, verb)
                + (result.DryRun ? $" Run again with --yes instead of --dry-run to {verb} them." : ""));
        return ExitCodes.Ok;
    }

    private static async Task<int> ListAsync(
        OpsContext context, DeadLetterStore store, DeadLetterQuery query, CancellationToken cancellationToken)
    {
        var page = await store.ListAsync(query, cancellationToken).ConfigureAwait(false);
        var items = page.Items.Select(DeadLetterItem.From).ToArray();
        if (context.Json)
        {
            context.Out.WriteLine(OpsJson.Serialize(new DeadLetterPageResponse(items, page.Next), indented: true));
            return ExitCodes.Ok;
        }
        if (items.Length == 0)
            context.Out.WriteLine(
                $"No dead letters in {query.DeadLetterStream} match{(page.Next is null ? "" : " so far")}.");
        else
            TableWriter.Write(context.Out,
                ["ID", "GROUP", "ORIGINAL", "ORDER", "ERROR", "DELIVERIES", "REPLAYS", "FAILED AT"],
                items.Select(d => (IReadOnlyList<string>)
                [
                    d.Id, d.Group, d.OriginalId, d.OrderId ?? "-", TableError(d),
                    d.DeliveryCount.ToString(CultureInfo.InvariantCulture),
                    d.Replays.ToString(CultureInfo.InvariantCulture), d.FailedAt ?? "-",
                ]).ToArray());
        if (page.Next is not null)
            context.Out.WriteLine($"More: add --after {page.Next}");
        return ExitCodes.Ok;
    }

    private static void WriteDetail(OpsContext context, DeadLetter deadLetter)
    {
        var detail = DeadLetterDetail.From(deadLetter);
        if (context.Json)
        {
            context.Out.WriteLine(OpsJson.Serialize(detail, indented: true));
            return;
        }
        foreach (var (name, value) in new (string, object?)[]
                 {
                     ("id", detail.Id), ("stream", detail.Stream), ("group", detail.Group),
                     ("originalId", detail.OriginalId), ("orderId", detail.OrderId), ("errorType", detail.ErrorType),
                     ("errorMessage", detail.ErrorMessage), ("deliveryCount", detail.DeliveryCount),
                     ("replays", detail.Replays), ("failedAt", detail.FailedAt),
                 })
            context.Out.WriteLine($"{name,-14}{value ?? "-"}");
        context.Out.WriteLine("fields:");
        foreach (var (name, value) in deadLetter.OriginalFields)
            context.Out.WriteLine($"  {name,-13} {value}");
    }

    private static int WriteAction(OpsContext context, DeadLetterActionResult result, int replayCap)
    {
        if (DeadLetterActionResponse.From(result) is not { } done)
        {
            context.Error.WriteLine(OpsTexts.Describe(result, replayCap));
            return result.Status == DeadLetterActionStatus.NotFound ? ExitCodes.NotFound : ExitCodes.Conflict;
        }
        context.Out.WriteLine(
            context.Json ? OpsJson.Serialize(done, indented: true) : OpsTexts.Describe(result, replayCap));
        return ExitCodes.Ok;
    }

    /// <summary>The filter from the options, read and checked by the operator surface; problems name the
    /// options.</summary>
    private static DeadLetterQuery Query(OpsContext context, OpsArguments arguments)
    {
        var filter = DeadLetterFilter.FromValues(name => arguments.Option(Flags[name]), context.Topology);
        if (!filter.IsValid)
            throw new OpsUsageException(string.Join(" ", filter.Errors.Select(e =>
                $"{Flags.GetValueOrDefault(e.Key, e.Key)}: {string.Join(" ", e.Value)}")));
        return filter.Query!;
    }

    private static string DeadLetterStream(OpsContext context, OpsArguments arguments)
    {
        var stream = arguments.Option("--stream") ?? context.Topology.DefaultStream!;
        if (context.Topology.StreamError(stream) is { } error)
            throw new OpsUsageException($"--stream: {error}");
        return context.Topology.DeadLetterStreamFor(stream);
    }

    private static string Id(OpsArguments arguments) =>
        arguments.Positional.Count == 2
            ? arguments.Positional[1]
            : throw new OpsUsageException(
                "Give exactly one dead-letter id (see 'dead-letters list'), or --all with filters.");

    private static string TableError(DeadLetterItem item) =>
        Shorten($"{ShortType(item.ErrorType)}: {item.ErrorMessage}", TableErrorWidth);

    // The namespace adds width, not meaning, in a table; --json and 'show' keep the full name.
    private static string ShortType(string type) => type[(type.LastIndexOf('.') + 1)..];

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
