namespace OrdersFunctions.Bench;

/// <summary>Command-line options: <c>--redis &lt;connection string&gt;</c> and <c>--quick</c>.</summary>
internal sealed record BenchOptions(string? Redis, bool Quick)
{
    public static BenchOptions Parse(string[] args)
    {
        string? redis = null;
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
                case "-h" or "--help":
                    throw new ArgumentException(Usage);
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. {Usage}");
            }
        }
        return new BenchOptions(redis, quick);
    }

    public const string Usage =
        "Usage: OrdersFunctions.Bench [--redis <StackExchange.Redis connection string>] [--quick]. " +
        "Without --redis it starts its own redis-server on a free 127.0.0.1 port.";

    /// <summary>Entries per throughput phase.</summary>
    public int Entries => Quick ? 20_000 : 200_000;

    /// <summary>Latency phase: warm-up and measured seconds at 1,000 entries/s.</summary>
    public TimeSpan LatencyWarmUp => TimeSpan.FromSeconds(Quick ? 1 : 3);

    public TimeSpan LatencyMeasured => TimeSpan.FromSeconds(Quick ? 2 : 10);

    /// <summary>Idle-CPU measurement window.</summary>
    public TimeSpan IdleWindow => TimeSpan.FromSeconds(Quick ? 3 : 10);

    /// <summary>Upper bound of any one phase, so a stuck engine cannot hang the run.</summary>
    public TimeSpan PhaseTimeout => TimeSpan.FromSeconds(Quick ? 20 : 45);
}
