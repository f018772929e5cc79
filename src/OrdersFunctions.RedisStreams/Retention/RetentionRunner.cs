using Microsoft.Extensions.Logging;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.Retention;

/// <summary>
/// A subscriber's retention duty: from its claim sweep, at most once per
/// <see cref="StreamSubscriberOptions.RetentionInterval"/>, trims the stream and its dead-letter stream
/// (<see cref="StreamRetention"/>). Every subscriber of every instance does it; that is safe because trimming to a
/// floor is idempotent and the floor only moves forward. A no-op when
/// <see cref="StreamSubscriberOptions.Retention"/> is off. Failures are logged and never disturb the sweep.
/// Called from one loop at a time.
/// </summary>
internal sealed class RetentionRunner
{
    private readonly StreamRetention? _retention;
    private readonly string _stream;
    private readonly string _deadLetterStream;
    private readonly RetentionPolicy _policy;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private DateTimeOffset _nextRun;

    public RetentionRunner(IRedisConnectionFactory connections, StreamSubscriberOptions options, ILogger logger,
        TimeProvider time)
    {
        _retention = options.Retention ? new StreamRetention(connections, logger, time) : null;
        _stream = options.Stream;
        _deadLetterStream = options.EffectiveDeadLetterStream;
        _policy = RetentionPolicy.From(options);
        _interval = options.RetentionInterval;
        _time = time;
        _logger = logger;
    }

    public async Task RunIfDueAsync(CancellationToken cancellationToken)
    {
        if (_retention is null)
            return;
        var now = _time.GetUtcNow();
        if (now < _nextRun)
            return;
        _nextRun = now + _interval;
        try
        {
            await _retention.TrimAsync(_stream, _deadLetterStream, _policy, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Retention is housekeeping: the next interval tries again; reading and claiming go on regardless.
            RetentionLog.Failed(_logger, _stream, _interval, ex.Message);
        }
    }
}
