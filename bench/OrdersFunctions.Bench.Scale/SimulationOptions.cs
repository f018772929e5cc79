using System.Globalization;

namespace OrdersFunctions.Bench.Scale;

/// <summary>Everything the simulation can be told; the defaults are the full run documented in docs/scale.md.</summary>
public sealed record SimulationOptions
{
    public ControllerRules Rules { get; init; } = new(
        Interval: TimeSpan.FromSeconds(10),
        MinInstances: 1,
        MaxInstances: 6,
        MaxAddPerStep: 4,
        MaxRemovePerStep: 1,
        ScaleInCooldown: TimeSpan.FromSeconds(30),
        Mode: ScalingMode.Target);

    /// <summary>Instances running when a controller-driven scenario starts (at least the minimum).</summary>
    public int? InitialInstances { get; init; }

    public string[] Scenarios { get; init; } =
        ["fixed-1", "fixed-max", "backlog-rule", "drain-rule", "drain-rule-sigkill"];

    /// <summary>Quiet time before the surge.</summary>
    public TimeSpan IdleBefore { get; init; } = TimeSpan.FromSeconds(15);

    public double SurgeOrdersPerSecond { get; init; } = 200;

    public TimeSpan SurgeDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Observed after the surge before a scenario's window closes (instance-seconds are counted over the
    /// window).</summary>
    public TimeSpan Tail { get; init; } = TimeSpan.FromSeconds(150);

    /// <summary>After the window: how long to wait at most for the groups to drain and the instances to reach the
    /// minimum.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Orders in flight over HTTP at most.</summary>
    public int MaxOrdersInFlight { get; init; } = 64;

    /// <summary>What the SMTP server waits before it accepts each message.</summary>
    public TimeSpan SmtpDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>MaxConcurrency of the notification function per instance: with <see cref="SmtpDelay"/> it sets what one
    /// instance can send (8 / 100 ms = 80 per second).</summary>
    public int NotificationConcurrency { get; init; } = 8;

    /// <summary>MaxConcurrency of the spreadsheet function (the engine's default).</summary>
    public int SpreadsheetConcurrency { get; init; } = 16;

    public TimeSpan ClaimMinIdle { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan ClaimInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan ConsumerIdleTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Scale settings every scenario's scalers get (host.json extensions:redisStreams), e.g.
    /// targetDrainTime.</summary>
    public IReadOnlyDictionary<string, string?> ScaleSettings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Where the per-second CSV goes (null: none).</summary>
    public string? CsvPath { get; init; }

    /// <summary>Where the chart goes (null: none).</summary>
    public string? ChartPath { get; init; }

    /// <summary>Where instance logs, settings, CSV sinks go; a temp folder when null.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>An existing Redis instead of a redis-server of our own.</summary>
    public string? Redis { get; init; }

    public TimeSpan SurgeStart => IdleBefore;

    public TimeSpan SurgeEnd => IdleBefore + SurgeDuration;

    public TimeSpan Window => SurgeEnd + Tail;

    /// <summary>Options from the command line (each <c>--name value</c> below; docs/scale.md lists them).</summary>
    public static SimulationOptions Parse(string[] args, SimulationOptions defaults)
    {
        var options = defaults;
        var rules = defaults.Rules;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--scenarios": options = options with { Scenarios = Value().Split(',') }; break;
                case "--interval": rules = rules with { Interval = Seconds(Value()) }; break;
                case "--min": rules = rules with { MinInstances = Int(Value()) }; break;
                case "--max": rules = rules with { MaxInstances = Int(Value()) }; break;
                case "--add-per-step": rules = rules with { MaxAddPerStep = Int(Value()) }; break;
                case "--remove-per-step": rules = rules with { MaxRemovePerStep = Int(Value()) }; break;
                case "--cooldown": rules = rules with { ScaleInCooldown = Seconds(Value()) }; break;
                case "--mode": rules = rules with { Mode = Enum.Parse<ScalingMode>(Value(), ignoreCase: true) }; break;
                case "--initial": options = options with { InitialInstances = Int(Value()) }; break;
                case "--idle": options = options with { IdleBefore = Seconds(Value()) }; break;
                case "--rate": options = options with { SurgeOrdersPerSecond = Number(Value()) }; break;
                case "--surge": options = options with { SurgeDuration = Seconds(Value()) }; break;
                case "--tail": options = options with { Tail = Seconds(Value()) }; break;
                case "--smtp-delay-ms": options = options with { SmtpDelay = TimeSpan.FromMilliseconds(Int(Value())) };
                    break;
                case "--concurrency": options = options with { NotificationConcurrency = Int(Value()) }; break;
                case "--drain-time":
                    var drainTime = Seconds(Value()).ToString("c", CultureInfo.InvariantCulture);
                    options = options with
                    {
                        ScaleSettings = With(options.ScaleSettings, "targetDrainTime", drainTime),
                    };
                    break;
                case "--claim-min-idle": options = options with { ClaimMinIdle = Seconds(Value()) }; break;
                case "--claim-interval": options = options with { ClaimInterval = Seconds(Value()) }; break;
                case "--consumer-idle-timeout": options = options with { ConsumerIdleTimeout = Seconds(Value()) };
                    break;
                case "--settle": options = options with { SettleTimeout = Seconds(Value()) }; break;
                case "--csv": options = options with { CsvPath = Value() }; break;
                case "--chart": options = options with { ChartPath = Value() }; break;
                case "--work": options = options with { WorkDirectory = Value() }; break;
                case "--redis": options = options with { Redis = Value() }; break;
                default: throw new ArgumentException($"Unknown argument '{name}'. See docs/scale.md for the options.");
            }
        }
        return options with { Rules = rules };
    }

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(Number(value));

    private static double Number(string value) => double.Parse(value, CultureInfo.InvariantCulture);

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    private static Dictionary<string, string?> With(IReadOnlyDictionary<string, string?> settings, string key,
        string value) =>
        new(settings) { [$"AzureFunctionsJobHost:extensions:redisStreams:{key}"] = value };
}
