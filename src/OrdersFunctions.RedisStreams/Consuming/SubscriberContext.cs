using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Consuming;

/// <summary>
/// What every part of one subscriber shares: its options and names, its logger and clock, the outage tracker, and the
/// shared connection's database once the start path has reached Redis.
/// </summary>
internal sealed class SubscriberContext
{
    private IDatabase? _database;

    public SubscriberContext(StreamSubscriberOptions options, ILogger logger, TimeProvider time,
        Func<Exception, RedisConnectionProblem>? describeFailure = null)
    {
        Options = options;
        Logger = logger;
        Time = time;
        StreamKey = options.Stream;
        Tags = StreamsTelemetry.GroupTags(options.Stream, options.Group);
        Outage = new OutageTracker(logger, options.Stream, options.Group, describeFailure);
    }

    public StreamSubscriberOptions Options { get; }

    public string Stream => Options.Stream;

    public RedisKey StreamKey { get; }

    public string Group => Options.Group;

    public string Consumer => Options.Consumer;

    public ILogger Logger { get; }

    public TimeProvider Time { get; }

    public OutageTracker Outage { get; }

    /// <summary>The messaging tags of every measurement this subscriber makes.</summary>
    public TagList Tags { get; }

    /// <summary>The shared connection's database; set by the start path before any loop runs.</summary>
    public IDatabase Database
    {
        get => Volatile.Read(ref _database)
            ?? throw new InvalidOperationException("The subscriber has not reached Redis yet.");
        set => Volatile.Write(ref _database, value);
    }
}
