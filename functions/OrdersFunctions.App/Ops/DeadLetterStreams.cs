using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OrdersFunctions.RedisStreams.Configuration;

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

    /// <summary>The source stream a single-dead-letter request names with <c>?stream=</c>, else <see cref="DefaultStream"/>.</summary>
    public string Requested(HttpRequest request) =>
        request.Query.TryGetValue("stream", out var stream) && !string.IsNullOrWhiteSpace(stream.ToString()) ? stream.ToString() : DefaultStream;

    public string For(string stream)
    {
        var appWide = configuration[$"{StreamSubscriberOptions.SectionName}:DeadLetterStream"];
        return stream == options.Value.Stream && !string.IsNullOrWhiteSpace(appWide) ? appWide : stream + ":dead-letter";
    }
}
