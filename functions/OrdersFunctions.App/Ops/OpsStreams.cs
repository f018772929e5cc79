using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Retention;

namespace OrdersFunctions.App.Ops;

/// <summary>
/// The streams and groups the app's operations surface looks at (the orders stream and its two groups), and the engine
/// settings its figures are judged by: retention sizes and ClaimMinIdle read as the triggers read them app-wide
/// (host.json <c>extensions:redisStreams</c> where this process sees it, then app settings <c>RedisStreams:*</c>).
/// Under the Functions host the worker does not see host.json, so set retention sizes as app settings
/// (<c>RedisStreams__RetentionMinAge</c>, …) for the overview to show them.
/// </summary>
public sealed class OpsStreams
{
    // Where the local host (and the Functions host, for the extension) puts host.json's extensions.redisStreams.
    private const string HostJsonSection = "AzureFunctionsJobHost:extensions:redisStreams";

    public OpsStreams(IOptions<OrdersOptions> orders, IConfiguration configuration)
    {
        var engine = new StreamSubscriberOptions();
        var errors = new List<string>();
        StreamSubscriberOptionsBinder.Apply(engine, configuration.GetSection(HostJsonSection), errors);
        StreamSubscriberOptionsBinder.Apply(engine, configuration.GetSection(StreamSubscriberOptions.SectionName), errors);
        // A bad value already stops the stream functions at indexing with its own message; here the defaults stand in.
        Stream = orders.Value.Stream;
        Groups = [orders.Value.NotificationsGroup, orders.Value.SpreadsheetsGroup];
        Request = new StreamOverviewRequest(Stream, engine.DeadLetterStream, RetentionPolicy.From(engine), engine.ClaimMinIdle);
    }

    /// <summary>The orders stream.</summary>
    public string Stream { get; }

    /// <summary>The groups the app's stream functions read in.</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>What the overview reads for the orders stream.</summary>
    public StreamOverviewRequest Request { get; }
}
