using Microsoft.Extensions.Configuration;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Retention;

namespace OrdersFunctions.Operations.Topology;

/// <summary>
/// The streams and groups the operator surface looks at, with the options their triggers really run with: each
/// stream-triggered function's declaration resolved by the engine's <see cref="StreamOptionsResolver"/> against the
/// same settings the hosts read. So liveness (ClaimMinIdle), the dead-letter stream and retention are judged as the
/// trigger applies them, under every host and on the command line.
/// </summary>
public sealed class OpsTopology
{
    private OpsTopology(IReadOnlyList<OpsStream> streams, IReadOnlyList<string> errors)
    {
        Streams = streams;
        Errors = errors;
    }

    /// <summary>The app's streams, in the order their functions were declared; each with its groups.</summary>
    public IReadOnlyList<OpsStream> Streams { get; }

    /// <summary>What stops a trigger from running (a setting missing or invalid); the hosts refuse to start on these,
    /// the command line reports them.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>The stream the app's functions read (the first one when there are several); null when none
    /// resolved.</summary>
    public string? DefaultStream => Streams.Count > 0 ? Streams[0].Name : null;

    /// <summary>Resolves every declaration against <paramref name="configuration"/>.</summary>
    public static OpsTopology Resolve(IEnumerable<StreamTriggerDeclaration> declarations, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(declarations);
        var resolver = new StreamOptionsResolver(configuration);
        var resolved = declarations.Select(d => resolver.Resolve(d)).ToList();
        var streams = resolved
            .Where(r => r.Options.Stream.Length > 0 && r.Options.Group.Length > 0)
            .GroupBy(r => r.Options.Stream, StringComparer.Ordinal)
            .Select(g => new OpsStream(g.Key, g
                .Select(r => new OpsGroup(
                    r.Options.Group, r.Declaration.FunctionName, r.Options, r.ConnectionString))
                .ToList()))
            .ToList();
        return new OpsTopology(streams, resolved.SelectMany(r => r.Errors).Distinct().ToList());
    }

    /// <summary>The Redis connection string of the app's triggers (the first one's); null when its setting is
    /// unset.</summary>
    public string? ConnectionString => Streams
        .SelectMany(s => s.Groups)
        .Select(g => g.ConnectionString)
        .FirstOrDefault(c => c is not null);

    /// <summary>The stream called <paramref name="stream"/> among the app's, or null.</summary>
    public OpsStream? Find(string stream) => Streams.FirstOrDefault(s => s.Name == stream);

    /// <summary>Where the dead letters of <paramref name="stream"/> go: its triggers' dead-letter stream for one of the
    /// app's streams, else the engine's default <c>{stream}:dead-letter</c>.</summary>
    public string DeadLetterStreamFor(string stream) =>
        Find(stream)?.DeadLetterStream ?? StreamSubscriberOptions.DefaultDeadLetterStream(stream);

    /// <summary>Why <paramref name="stream"/>'s dead letters cannot be acted on, or null: their outcome keys share the
    /// dead-letter stream's cluster slot, which a name with '}' but no hash tag cannot give.</summary>
    public string? StreamError(string stream) =>
        StreamKeys.HasSlotPrefix(DeadLetterStreamFor(stream))
            ? null
            : $"'{OpsTexts.Cut(stream)}' contains '}}' but no hash tag, " +
              "so it cannot be a dead-letter stream of this app: check the name.";

    /// <summary>What the overview reads for <paramref name="stream"/>: one of the app's streams with its triggers'
    /// settings, or any other stream with the engine's defaults.</summary>
    public StreamOverviewRequest OverviewRequest(string stream) => Find(stream) is { } known
        ? new StreamOverviewRequest(known.Name, known.DeadLetterStream, known.Retention, known.ClaimMinIdle)
        {
            Liveness = known.Groups.ToDictionary(
                g => g.Name, g => ConsumerLiveness.Of(g.Options), StringComparer.Ordinal),
        }
        : new StreamOverviewRequest(
            stream,
            StreamSubscriberOptions.DefaultDeadLetterStream(stream),
            RetentionPolicy.Default,
            StreamSubscriberOptions.DefaultClaimMinIdle);
}

/// <summary>One of the app's streams and the groups its functions read it in.</summary>
public sealed class OpsStream(string name, IReadOnlyList<OpsGroup> groups)
{
    public string Name { get; } = name;

    public IReadOnlyList<OpsGroup> Groups { get; } = groups;

    /// <summary>The dead-letter stream of its first group's trigger (a per-function dead-letter stream elsewhere is not
    /// searched by the operator surface).</summary>
    public string DeadLetterStream => Groups[0].Options.EffectiveDeadLetterStream;

    /// <summary>Retention as its first group's trigger sets it (retention is app-wide in practice).</summary>
    public RetentionPolicy Retention => RetentionPolicy.From(Groups[0].Options);

    /// <summary>How long a consumer may be silent before it counts as gone: the longest ClaimMinIdle of its
    /// groups.</summary>
    public TimeSpan ClaimMinIdle => Groups.Max(g => g.Options.ClaimMinIdle);

    /// <summary>How long dead letters and their outcomes are kept.</summary>
    public TimeSpan DeadLetterMaxAge => Groups.Max(g => g.Options.DeadLetterMaxAge);
}

/// <summary>A group of one of the app's streams: the function that reads in it, the options it runs with and the Redis
/// connection string its trigger's setting holds (null when unset).</summary>
public sealed record OpsGroup(string Name, string Function, StreamSubscriberOptions Options, string? ConnectionString);
