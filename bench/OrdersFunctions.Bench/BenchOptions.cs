namespace OrdersFunctions.Bench;

/// <summary>Command-line options: <c>--redis &lt;connection string&gt;</c>, <c>--quick</c>, and for profiling and A/B
/// runs <c>--only &lt;phase&gt;</c> with <c>--rounds &lt;n&gt;</c>.</summary>
internal sealed record BenchOptions(string? Redis, bool Quick, string? Only = null, int Rounds = 1)
{
    /// <summary>The phases <c>--only</c> accepts.</summary>
    public static readonly IReadOnlyList<string> SinglePhases =
        ["consume", "trigger", "trigger-warning", "trigger-batch", "idle", "ops_at_scale", "ops_maintenance"];

    public static BenchOptions Parse(string[] args)
    {
        string? redis = null;
        string? only = null;
        var rounds = 1;
        var quick = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--redis" when i + 1 < args.Length:
                    redis = args[++i];
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--only" when i + 1 < args.Length:
                    only = args[++i];
                    if (!SinglePhases.Contains(only))
                        throw new ArgumentException($"Unknown phase '{only}' for --only: " +
                            $"use one of {string.Join(", ", SinglePhases)}. {Usage}");
                    break;
                case "--rounds" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], out rounds) || rounds < 1)
                        throw new ArgumentException(
                            $"--rounds takes a whole number of at least 1, not '{args[i]}'. {Usage}");
                    break;
                case "-h" or "--help":
                    throw new ArgumentException(Usage);
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. {Usage}");
            }
        }
        return new BenchOptions(redis, quick, only, rounds);
    }

    public const string Usage =
        "Usage: OrdersFunctions.Bench [--redis <StackExchange.Redis connection string>] [--quick] " +
        "[--only consume|trigger|trigger-warning|trigger-batch|idle|ops_at_scale|ops_maintenance [--rounds <n>]]. " +
        "Without --redis it starts its own redis-server on a free 127.0.0.1 port. --only runs one phase n times " +
        "(for profiling and before/after runs) and prints each round and their median. ops_at_scale loads streams of " +
        "10k to 2M entries (--quick: 10k, 100k) and measures what the overview, health and 10 polling viewers " +
        "cost Redis, " +
        "then retention and the claim sweep at size; ops_maintenance runs only that last part.";

    /// <summary>Entries per throughput phase.</summary>
    public int Entries => Quick ? 20_000 : 200_000;

    /// <summary>Latency phase: warm-up and measured seconds at 1,000 entries/s.</summary>
    public TimeSpan LatencyWarmUp => TimeSpan.FromSeconds(Quick ? 1 : 3);

    public TimeSpan LatencyMeasured => TimeSpan.FromSeconds(Quick ? 2 : 10);

    /// <summary>Idle-CPU measurement: one window, as long as the subscriber's idle cycle (a 5 s blocking read, a 5 s
    /// sweep), so every window holds one of each.</summary>
    public TimeSpan IdleWindow => TimeSpan.FromSeconds(Quick ? 1 : 5);

    /// <summary>The window of the same measurement without the subscriber.</summary>
    public TimeSpan IdleBaselineWindow => TimeSpan.FromSeconds(Quick ? 1 : 3);

    /// <summary>Windows measured, with and without the subscriber; the figure is their median.</summary>
    public int IdleWindows => 3;

    /// <summary>Upper bound of any one phase, so a stuck engine cannot hang the run.</summary>
    public TimeSpan PhaseTimeout => TimeSpan.FromSeconds(Quick ? 20 : 45);
}
