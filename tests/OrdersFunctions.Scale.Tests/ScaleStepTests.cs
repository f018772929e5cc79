using OrdersFunctions.Bench.Scale;
using OrdersFunctions.Bench.Scale.Control;

namespace OrdersFunctions.Scale.Tests;

/// <summary>The simulated controller's rules: scale-out wins and sums what the functions want, capped per step and at
/// the maximum; scale-in one at a time, only after the cool-down, never below the minimum.</summary>
public sealed class ScaleStepTests
{
    private static readonly ControllerRules Rules = new(TimeSpan.FromSeconds(10), MinInstances: 1, MaxInstances: 10,
        MaxAddPerStep: 4, MaxRemovePerStep: 1, ScaleInCooldown: TimeSpan.FromSeconds(30), ScalingMode.Target);

    [Fact]
    public void FromTargets_ScaleOut_SumsWhatEachFunctionWantsMore_AtMostFourPerStep()
    {
        var step = new ScaleStep(Rules);

        Assert.Equal(4, step.FromTargets(2, [3, 3], At(0)));  // +1 +1
        Assert.Equal(8, step.FromTargets(4, [12, 1], At(10))); // +8 wanted, +4 allowed
    }

    [Fact]
    public void FromTargets_NeverAboveTheMaximum()
    {
        Assert.Equal(10, new ScaleStep(Rules).FromTargets(8, [100], At(0)));
    }

    [Fact]
    public void FromTargets_OneFunctionWantingMore_OverridesAnotherWantingFewer()
    {
        Assert.Equal(4, new ScaleStep(Rules).FromTargets(3, [4, 0], At(0)));
    }

    [Fact]
    public void FromTargets_ScaleIn_WaitsForTheCooldown_ThenRemovesOnePerStep()
    {
        var step = new ScaleStep(Rules);

        Assert.Equal(5, step.FromTargets(5, [0, 0], At(0)));
        Assert.Equal(5, step.FromTargets(5, [0, 0], At(20)));
        Assert.Equal(4, step.FromTargets(5, [0, 0], At(30)));
        Assert.Equal(3, step.FromTargets(4, [0, 0], At(40)));
    }

    [Fact]
    public void FromTargets_ScaleIn_NotWithinTheCooldownOfAScaleOut()
    {
        var step = new ScaleStep(Rules);
        step.FromTargets(1, [5], At(0));
        step.FromTargets(5, [0], At(10)); // wants fewer from 10 s on

        Assert.Equal(5, step.FromTargets(5, [0], At(29)));
        Assert.Equal(4, step.FromTargets(5, [0], At(40)));
    }

    [Fact]
    public void FromTargets_ScaleIn_GoesToTheHighestTarget_NeverBelowTheMinimum()
    {
        var rules = Rules with { MaxRemovePerStep = 10, ScaleInCooldown = TimeSpan.Zero };

        Assert.Equal(3, new ScaleStep(rules).FromTargets(6, [3, 1], At(0)));
        Assert.Equal(1, new ScaleStep(rules).FromTargets(6, [0, 0], At(0)));
    }

    [Fact]
    public void FromTargets_AnInterruptedWishForFewer_StartsTheCooldownAgain()
    {
        var step = new ScaleStep(Rules);
        step.FromTargets(3, [0], At(0));
        step.FromTargets(3, [3], At(20)); // wants as many as run: the wish for fewer ends

        Assert.Equal(3, step.FromTargets(3, [0], At(40)));
        Assert.Equal(2, step.FromTargets(3, [0], At(70)));
    }

    [Fact]
    public void FromVotes_OneOutPerStep_InOnlyWhenAllVoteIn()
    {
        var step = new ScaleStep(Rules with { ScaleInCooldown = TimeSpan.Zero });

        Assert.Equal(3, step.FromVotes(2, [1, -1], At(0)));
        Assert.Equal(3, step.FromVotes(3, [0, -1], At(10)));
        Assert.Equal(2, step.FromVotes(3, [-1, -1], At(20)));
    }

    private static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);
}
