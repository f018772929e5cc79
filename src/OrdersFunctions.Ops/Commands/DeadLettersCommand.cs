using System.Globalization;
using System.Text.Json;
using OrdersFunctions.RedisStreams.DeadLetters;

namespace OrdersFunctions.Ops.Commands;

/// <summary><c>./ops.sh dead-letters list|show|replay|discard …</c> over <see cref="DeadLetterStore"/>.</summary>
public sealed class DeadLettersCommand : IOpsCommand
{
    private const int TableErrorWidth = 70;
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Name => "dead-letters";

    public IReadOnlyList<string> Usage =>
    [
        "dead-letters list [--stream s] [--group g] [--error-type t] [--from time] [--to time] [--limit n] [--after id]",
        "dead-letters show <id> [--stream s]",
        "dead-letters replay <id> [--force] [--stream s]",
        "dead-letters discard <id> [--force] [--stream s]",
        "dead-letters replay --all [filters] [--dry-run] [--force]",
        "dead-letters discard --all [filters] [--dry-run]",
    ];

    public async Task<int> RunAsync(OpsContext context, OpsArguments arguments, CancellationToken cancellationToken)
    {
        var action = arguments.Positional.Count > 0 ? arguments.Positional[0] : throw new OpsUsageException("Say what to do: list, show, replay or discard.");
        var store = new DeadLetterStore(context.Connections, new DeadLetterStoreOptions
        {
            ReplayCap = context.Settings.ReplayCap ?? DeadLetterStoreOptions.DefaultReplayCap,
            // Outcomes are kept as long as the dead letters, as the app's ops functions keep them (RedisStreams__DeadLetterMaxAge).
            OutcomeRetention = context.Settings.EngineOptions().DeadLetterMaxAge,
        });
        var stream = arguments.Option("--stream") ?? context.Settings.OrdersStream;
        var deadLetterStream = context.Settings.DeadLetterStreamFor(stream);
        switch (action)
        {
            case "list":
            {
                var query = Query(arguments, stream, deadLetterStream);
                arguments.RejectUnused();
                return await ListAsync(context, store, query, cancellationToken).ConfigureAwait(false);
            }
            case "show":
            {
                var id = Id(arguments);
                arguments.RejectUnused();
                var deadLetter = await store.GetAsync(deadLetterStream, id, cancellationToken).ConfigureAwait(false);
                if (deadLetter is null)
                    return NotFound(context, id);
                WriteDetail(context, deadLetter);
                return ExitCodes.Ok;
            }
            case "replay" or "discard" when arguments.Flag("--all"):
            {
                var query = Query(arguments, stream, deadLetterStream);
                var dryRun = arguments.Flag("--dry-run");
                var force = arguments.Flag("--force");
                arguments.RejectUnused();
                var result = action == "replay"
                    ? await store.ReplayMatchingAsync(query, dryRun, force, cancellationToken).ConfigureAwait(false)
                    : await store.DiscardMatchingAsync(query, dryRun, force, cancellationToken).ConfigureAwait(false);
                WriteBulk(context, result, action);
                return ExitCodes.Ok;
            }
            case "replay" or "discard":
            {
                var id = Id(arguments);
                var force = arguments.Flag("--force");
                arguments.RejectUnused();
                var result = action == "replay"
                    ? await store.ReplayAsync(deadLetterStream, id, force, cancellationToken).ConfigureAwait(false)
                    : await store.DiscardAsync(deadLetterStream, id, force, cancellationToken).ConfigureAwait(false);
                return WriteAction(context, result, store.ReplayCap);
            }
            default:
                throw new OpsUsageException($"Unknown dead-letters action '{action}': use list, show, replay or discard.");
        }
    }

    private static async Task<int> ListAsync(OpsContext context, DeadLetterStore store, DeadLetterQuery query, CancellationToken cancellationToken)
    {
        var page = await store.ListAsync(query, cancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(new { items = page.Items.Select(Item), next = page.Next }, JsonOptions));
            return ExitCodes.Ok;
        }
        if (page.Items.Count == 0)
            context.Out.WriteLine($"No dead letters in {query.DeadLetterStream} match.");
        else
            TableWriter.Write(context.Out, ["ID", "GROUP", "ORIGINAL", "ORDER", "ERROR", "DELIVERIES", "REPLAYS", "FAILED AT"],
                page.Items.Select(d => (IReadOnlyList<string>)
                [
                    d.Id, d.Record.Group, d.Record.OriginalId, d.PayloadProperty("orderId") ?? "-",
                    TableError(d),
                    d.Record.DeliveryCount.ToString(CultureInfo.InvariantCulture), d.Replays.ToString(CultureInfo.InvariantCulture), Time(d.Record.FailedAt) ?? "-",
                ]).ToArray());
        if (page.Next is not null)
            context.Out.WriteLine($"More: add --after {page.Next}");
        return ExitCodes.Ok;
    }

    private static void WriteDetail(OpsContext context, DeadLetter deadLetter)
    {
        if (context.Json)
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in deadLetter.OriginalFields)
                fields.TryAdd(name, value);
            context.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>(Item(deadLetter)) { ["fields"] = fields }, JsonOptions));
            return;
        }
        foreach (var (name, value) in Item(deadLetter))
            context.Out.WriteLine($"{name,-14}{value ?? "-"}");
        context.Out.WriteLine("fields:");
        foreach (var (name, value) in deadLetter.OriginalFields)
            context.Out.WriteLine($"  {name,-13} {value}");
    }

    private static int WriteAction(OpsContext context, DeadLetterActionResult result, int replayCap)
    {
        if (!result.Succeeded)
        {
            context.Error.WriteLine(result.Describe(replayCap));
            return result.Status == DeadLetterActionStatus.NotFound ? ExitCodes.NotFound : ExitCodes.Conflict;
        }
        if (context.Json)
            context.Out.WriteLine(JsonSerializer.Serialize(result.Status == DeadLetterActionStatus.Replayed
                ? new { id = result.Id, outcome = "replayed", group = result.Group, newEntryId = result.NewEntryId, replays = (int?)result.Replays }
                : new { id = result.Id, outcome = "discarded", group = result.Group, newEntryId = (string?)null, replays = (int?)null }, JsonOptions));
        else
            context.Out.WriteLine(result.Describe(replayCap));
        return ExitCodes.Ok;
    }

    private static void WriteBulk(OpsContext context, DeadLetterBulkResult result, string action)
    {
        if (context.Json)
            context.Out.WriteLine(result.DryRun
                ? JsonSerializer.Serialize(new { matched = result.Matched, dryRun = true }, JsonOptions)
                : JsonSerializer.Serialize(new { matched = result.Matched, replayed = result.Replayed, discarded = result.Discarded, skipped = result.Skipped }, JsonOptions));
        else if (result.DryRun)
            context.Out.WriteLine($"{result.Matched} dead letter(s) match; nothing changed (dry run). Run again without --dry-run to {action} them.");
        else
            context.Out.WriteLine($"{result.Matched} matched: {result.Replayed} replayed, {result.Discarded} discarded, {result.Skipped} skipped (already handled, gone, or at the replay cap).");
    }

    private static int NotFound(OpsContext context, string id)
    {
        context.Error.WriteLine($"No dead letter {id}: check the id with './ops.sh dead-letters list'.");
        return ExitCodes.NotFound;
    }

    private static DeadLetterQuery Query(OpsArguments arguments, string stream, string deadLetterStream)
    {
        var limitText = arguments.Option("--limit");
        var limit = DeadLetterQuery.DefaultLimit;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > DeadLetterQuery.MaxLimit))
            throw new OpsUsageException($"--limit '{limitText}' is not a whole number from 1 to {DeadLetterQuery.MaxLimit}.");
        var query = new DeadLetterQuery
        {
            DeadLetterStream = deadLetterStream,
            Stream = stream,
            Group = arguments.Option("--group"),
            ErrorType = arguments.Option("--error-type"),
            From = ParseTime("--from", arguments.Option("--from")),
            To = ParseTime("--to", arguments.Option("--to")),
            Limit = limit,
            After = arguments.Option("--after"),
        };
        return query;
    }

    private static DateTimeOffset? ParseTime(string option, string? text)
    {
        if (text is null)
            return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new OpsUsageException($"{option} '{text}' is not an ISO 8601 time, e.g. 2026-12-02T13:00:00Z.");
    }

    private static string Id(OpsArguments arguments) =>
        arguments.Positional.Count == 2 ? arguments.Positional[1] : throw new OpsUsageException("Give exactly one dead-letter id (see 'dead-letters list'), or --all with filters.");

    /// <summary>The contract's item shape (docs/ops-api.md), in its order. The failure is the record's cleaned one
    /// (no stack frames or paths, at most FailureDescription.MaxMessageLength characters), whoever wrote it.</summary>
    private static Dictionary<string, object?> Item(DeadLetter d)
    {
        var error = d.Record.Failure;
        return new(StringComparer.Ordinal)
        {
            ["id"] = d.Id,
            ["stream"] = d.Record.Stream,
            ["group"] = d.Record.Group,
            ["originalId"] = d.Record.OriginalId,
            ["orderId"] = d.PayloadProperty("orderId"),
            ["errorType"] = error.Type,
            ["errorMessage"] = error.Message,
            ["deliveryCount"] = d.Record.DeliveryCount,
            ["replays"] = d.Replays,
            ["failedAt"] = Time(d.Record.FailedAt),
        };
    }

    private static string TableError(DeadLetter d)
    {
        var error = d.Record.Failure;
        return Shorten($"{ShortType(error.Type)}: {error.Message}", TableErrorWidth);
    }

    private static string? Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // The namespace adds width, not meaning, in a table; --json and 'show' keep the full name.
    private static string ShortType(string type) => type[(type.LastIndexOf('.') + 1)..];

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
