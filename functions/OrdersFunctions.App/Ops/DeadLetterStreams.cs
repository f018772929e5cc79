using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OrdersFunctions.RedisStreams;

namespace OrdersFunctions.App.Ops;

/// <summary>
/// Which dead-letter stream holds a source stream's dead letters: the app-wide <c>RedisStreams__DeadLetterStream</c>
/// for the app's own stream when set, else <c>{stream}:dead-letter</c> (the engine's default). Per-function
/// dead-letter streams are not searched.
/// </summary>
public sealed class DeadLetterStreams(IOptions<OrdersOptions> options, IConfiguration configuration)
{
    /// <summary>The app's stream (the default of the <c>stream</c> filter).</summary>
    public string DefaultStream => options.Value.Stream;

    public string For(string stream)
    {
        var appWide = configuration[$"{StreamSubscriberOptions.SectionName}:DeadLetterStream"];
        return stream == options.Value.Stream && !string.IsNullOrWhiteSpace(appWide) ? appWide : stream + ":dead-letter";
    }
}
