using Microsoft.Extensions.Logging;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// Creates every logger under <see cref="RedisStreamsLogCategories.Trigger"/>, so that the engine's loggers (category
/// <c>OrdersFunctions.RedisStreams.StreamSubscriber</c>) become <c>Host.Triggers.RedisStreams.StreamSubscriber</c>:
/// the Functions host drops categories outside <c>Host.</c>, <c>Function.</c>, <c>Worker.</c> and
/// <c>Microsoft.Azure.WebJobs.</c>. Does not own the inner factory.
/// </summary>
internal sealed class PrefixedLoggerFactory : ILoggerFactory
{
    private readonly ILoggerFactory _inner;

    public PrefixedLoggerFactory(ILoggerFactory inner) => _inner = inner;

    public ILogger CreateLogger(string categoryName)
    {
        var shortName = categoryName[(categoryName.LastIndexOf('.') + 1)..];
        return _inner.CreateLogger($"{RedisStreamsLogCategories.Trigger}.{shortName}");
    }

    public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

    public void Dispose()
    {
        // The host owns the inner factory.
    }
}
