namespace OrdersFunctions.Bench.Scale.Control;

/// <summary>
/// One decision of the simulated scale controller, from what the functions asked for (pure, so the rules are tested
/// alone). Target-based, as documented: functions asking for more instances win over those asking for fewer, and the
/// increase is the sum over the functions that want more; with none asking for more and all asking for fewer, the
/// highest of their targets is used. Incremental: one instance out if any function votes out, one in if all vote in.
/// Then the rules: at most <see cref="ControllerRules.MaxAddPerStep"/> added,
/// <see cref="ControllerRules.MaxRemovePerStep"/> removed, removal only after
/// <see cref="ControllerRules.ScaleInCooldown"/> of wanting fewer and since the last scale-out, within min and max.
/// </summary>
public sealed class ScaleStep(ControllerRules rules)
{
    private TimeSpan? _wantedFewerSince;
    private TimeSpan _lastScaleOut = TimeSpan.MinValue;

    /// <summary>The instance count to run next, from per-function target counts.</summary>
    public int FromTargets(int running, IReadOnlyCollection<int> targets, TimeSpan now)
    {
        if (targets.Any(t => t > running))
            return Out(running, targets.Where(t => t > running).Sum(t => t - running), now);
        if (targets.Count > 0 && targets.All(t => t < running))
            return In(running, Math.Max(rules.MinInstances, targets.Max()), now);
        _wantedFewerSince = null;
        return Clamp(running);
    }

    /// <summary>The instance count to run next, from per-function votes (+1 out, −1 in, 0 none).</summary>
    public int FromVotes(int running, IReadOnlyCollection<int> votes, TimeSpan now)
    {
        if (votes.Any(v => v > 0))
            return Out(running, 1, now);
        if (votes.Count > 0 && votes.All(v => v < 0))
            return In(running, running - 1, now);
        _wantedFewerSince = null;
        return Clamp(running);
    }

    private int Out(int running, int wanted, TimeSpan now)
    {
        _wantedFewerSince = null;
        var next = Clamp(running + Math.Min(wanted, rules.MaxAddPerStep));
        if (next > running)
            _lastScaleOut = now;
        return next;
    }

    private int In(int running, int target, TimeSpan now)
    {
        _wantedFewerSince ??= now;
        var cooled = now - _wantedFewerSince.Value >= rules.ScaleInCooldown
            && (_lastScaleOut == TimeSpan.MinValue || now - _lastScaleOut >= rules.ScaleInCooldown);
        return cooled ? Clamp(Math.Max(target, running - rules.MaxRemovePerStep)) : Clamp(running);
    }

    private int Clamp(int count) => Math.Clamp(count, rules.MinInstances, rules.MaxInstances);
}
