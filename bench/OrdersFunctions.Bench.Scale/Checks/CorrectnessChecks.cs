using OrdersFunctions.Bench.Scale.Instances;
using StackExchange.Redis;

namespace OrdersFunctions.Bench.Scale.Checks;

/// <summary>
/// What a scenario must show, whatever the timings: every accepted order once in the CSV and once in the mailbox
/// (with a SIGKILL, a second copy only of what the killed instance held), no dead letters, both groups drained, no
/// stopped instance leaving pending entries, the consumers of gone instances deleted, the killed instance's entries
/// claimed.
/// </summary>
public sealed class CorrectnessChecks(IDatabase redis, string stream)
{
    public async Task<List<CheckResult>> RunAsync(ScenarioOutcome outcome)
    {
        var results = new List<CheckResult>
        {
            Check("every order placed was accepted", outcome.Failed == 0,
                $"{outcome.Accepted.Count:N0} accepted, {outcome.Failed} given up, {outcome.Retries:N0} retries"),
            CsvOnce(outcome),
            MailOnce(outcome),
            await NoDeadLettersAsync(),
            await DrainedAsync(),
            StopsClean(outcome),
            Check("instances started and ran without incident", outcome.InstanceProblems.Count == 0,
                outcome.InstanceProblems.Count == 0 ? "none" : string.Join("; ", outcome.InstanceProblems)),
            await ConsumersCleanedUpAsync(outcome),
        };
        if (outcome.Killed is { } killed)
            results.Add(await KilledEntriesClaimedAsync(killed));
        return results;
    }

    private static CheckResult CsvOnce(ScenarioOutcome outcome)
    {
        // The order id is the first field of each row after the header, never quoted (hex digits).
        var rows = File.Exists(outcome.CsvPath)
            ? File.ReadLines(outcome.CsvPath).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0]).ToList()
            : [];
        var counts = rows.GroupBy(id => id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var missing = outcome.Accepted.Count(id => !counts.ContainsKey(id));
        var twice = counts.Count(kv => kv.Value > 1);
        var unknown = counts.Keys.Count(id => !outcome.Accepted.Contains(id));
        return Check("every accepted order exactly once in the CSV", missing == 0 && twice == 0 && unknown == 0,
            $"{rows.Count:N0} rows; {missing} missing, {twice} more than once, {unknown} not accepted");
    }

    private static CheckResult MailOnce(ScenarioOutcome outcome)
    {
        var mayRepeat = outcome.Killed?.PendingOrdersByGroup.GetValueOrDefault(AppFunctions.NotificationsGroup)
            ?? new HashSet<string>();
        var missing = outcome.Accepted.Count(id => outcome.Mail.GetValueOrDefault(id) == 0);
        var repeated = outcome.Accepted.Where(id => outcome.Mail.GetValueOrDefault(id) > 1).ToList();
        var repeatedUnexpectedly = repeated.Count(id => !mayRepeat.Contains(id));
        var strangers = outcome.MessagesReceived - outcome.Accepted.Sum(id => (long)outcome.Mail.GetValueOrDefault(id));
        var name = outcome.Killed is null
            ? "every accepted order exactly once in the mailbox"
            : "every accepted order in the mailbox; twice only if the killed instance held it";
        return Check(name, missing == 0 && repeatedUnexpectedly == 0 && strangers == 0,
            $"{outcome.MessagesReceived:N0} messages; {missing} missing, {repeated.Count} twice "
            + $"({repeatedUnexpectedly} not held by a killed instance), {strangers} for no accepted order");
    }

    private async Task<CheckResult> NoDeadLettersAsync()
    {
        var length = await redis.StreamLengthAsync(stream + ":dead-letter");
        return Check("no dead letters", length == 0, $"{length} in {stream}:dead-letter");
    }

    private async Task<CheckResult> DrainedAsync()
    {
        var groups = await redis.StreamGroupInfoAsync(stream);
        var left = groups.Sum(g => (g.Lag ?? 0) + g.PendingMessageCount);
        return Check("both groups drained (lag and pending 0)", left == 0 && groups.Length == 2,
            string.Join(", ", groups.Select(g => $"{g.Name}: lag {g.Lag}, pending {g.PendingMessageCount}")));
    }

    private static CheckResult StopsClean(ScenarioOutcome outcome)
    {
        var leftPending = outcome.Stops.Where(s => s.PendingLeft > 0 || s.ExitCode != 0).ToList();
        var unclean = string.Join(", ",
            leftPending.Select(s => $"{s.Instance}: exit {s.ExitCode}, {s.PendingLeft} pending"));
        return Check("instances stopped with SIGTERM exited 0 and left nothing pending", leftPending.Count == 0,
            outcome.Stops.Count == 0 ? "no instance stopped"
                : $"{outcome.Stops.Count} stopped; " + (leftPending.Count == 0 ? "all clean" : unclean));
    }

    private async Task<CheckResult> ConsumersCleanedUpAsync(ScenarioOutcome outcome)
    {
        var gone = new List<string>();
        foreach (var group in AppFunctions.Groups)
        {
            foreach (var consumer in await redis.StreamConsumerInfoAsync(stream, group))
            {
                if (!outcome.LiveInstances.Contains(consumer.Name))
                    gone.Add($"{group}/{consumer.Name} ({consumer.PendingMessageCount} pending)");
            }
        }
        return Check("consumers of stopped or killed instances were deleted", gone.Count == 0,
            gone.Count == 0 ? $"only the {outcome.LiveInstances.Count} live instance(s) remain"
                : "still there: " + string.Join(", ", gone));
    }

    private async Task<CheckResult> KilledEntriesClaimedAsync(KilledInstance killed)
    {
        long left = 0;
        foreach (var group in AppFunctions.Groups)
        {
            var pending = await redis.StreamPendingAsync(stream, group);
            left += pending.Consumers.Where(c => c.Name == killed.Name).Sum(c => (long)c.PendingMessageCount);
        }
        var held = string.Join(", ", killed.PendingOrdersByGroup.Select(g => $"{g.Key} {g.Value.Count}"));
        return Check("the killed instance's pending entries were claimed by the others", left == 0,
            $"{killed.Name} held {killed.PendingAtKill} at the kill ({held}); {left} still pending on it");
    }

    private static CheckResult Check(string name, bool passed, string detail) => new(name, passed, detail);
}

/// <summary>What a scenario produced, for the checks.</summary>
public sealed record ScenarioOutcome(
    IReadOnlySet<string> Accepted,
    long Failed,
    long Retries,
    string CsvPath,
    IReadOnlyDictionary<string, int> Mail,
    long MessagesReceived,
    IReadOnlyCollection<StopRecord> Stops,
    IReadOnlyCollection<string> InstanceProblems,
    IReadOnlySet<string> LiveInstances,
    KilledInstance? Killed);
