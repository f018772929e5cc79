namespace OrdersFunctions.Bench.Scale;

/// <summary>How the simulated scale controller may change the instance count (docs/scale.md, "The rules").</summary>
/// <param name="Interval">How often it asks the scalers and acts.</param>
/// <param name="MinInstances">Always-ready instances: never fewer.</param>
/// <param name="MaxInstances">The plan's maximum: never more.</param>
/// <param name="MaxAddPerStep">Instances added per step at most (target-based scaling: four at a time; incremental:
/// one).</param>
/// <param name="MaxRemovePerStep">Instances removed per step at most.</param>
/// <param name="ScaleInCooldown">How long every function must have wanted fewer instances, and since the last
/// scale-out, before one is removed.</param>
/// <param name="Mode">Target-based (ITargetScaler) or incremental (IScaleMonitor votes).</param>
public sealed record ControllerRules(
    TimeSpan Interval,
    int MinInstances,
    int MaxInstances,
    int MaxAddPerStep,
    int MaxRemovePerStep,
    TimeSpan ScaleInCooldown,
    ScalingMode Mode);

/// <summary>Which interface the simulated controller asks.</summary>
public enum ScalingMode
{
    /// <summary>ITargetScaler.GetScaleResultAsync on every step.</summary>
    Target,

    /// <summary>IScaleMonitor.GetMetricsAsync every step, samples kept 2 min, then GetScaleStatus votes.</summary>
    Incremental,
}
