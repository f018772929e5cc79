using Microsoft.Extensions.Options;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>Bad options fail the subscriber's construction with one exception that names every bad option. No I/O:
/// the connection factory connects lazily and validation comes first.</summary>
public sealed class StreamSubscriberOptionsValidationTests
{
    private static StreamSubscriberOptions Valid() => new() { Stream = "s", Group = "g", Consumer = "c" };

    private static OptionsValidationException ConstructWith(StreamSubscriberOptions options)
    {
        var connections = new RedisConnectionFactory("127.0.0.1:1");
        return Assert.Throws<OptionsValidationException>(() =>
            new StreamSubscriber(connections, options, (_, _) => Task.CompletedTask));
    }

    [Fact]
    public void Constructor_EmptyStreamGroupAndConsumer_OneExceptionNamesAllThree()
    {
        var error = ConstructWith(new StreamSubscriberOptions { Stream = "", Group = " ", Consumer = "" });

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("Stream is empty", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Group is empty", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Consumer is empty", StringComparison.Ordinal));
    }

    [Fact]
    public void ForBatches_BatchOptionsOutOfRange_OneExceptionNamesBoth()
    {
        var options = Valid();
        options.MaxBatchSize = 0;
        options.MaxBatchWait = TimeSpan.FromSeconds(11);
        var connections = new RedisConnectionFactory("127.0.0.1:1");

        var error = Assert.Throws<OptionsValidationException>(() =>
            StreamSubscriber.ForBatches(connections, options, (_, _) => Task.CompletedTask));

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("MaxBatchSize is 0", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("MaxBatchWait is 00:00:11", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_EveryNumericOptionOutOfRange_OneExceptionNamesEachOption()
    {
        var options = Valid();
        options.BatchSize = 0;
        options.MaxConcurrency = 1_001;
        options.MaxDeliveries = 0;
        options.BlockTimeout = TimeSpan.Zero;
        options.ClaimMinIdle = TimeSpan.FromMilliseconds(99);
        options.ClaimInterval = TimeSpan.FromHours(2);
        options.RetryBackoffInitial = TimeSpan.FromSeconds(-1);
        options.RetryBackoffMax = TimeSpan.FromDays(2);
        options.ShutdownTimeout = TimeSpan.FromMinutes(11);
        options.ConsumerIdleTimeout = TimeSpan.Zero;

        var error = ConstructWith(options);

        string[] named =
        [
            "BatchSize", "MaxConcurrency", "MaxDeliveries", "BlockTimeout", "ClaimMinIdle", "ClaimInterval",
            "RetryBackoffInitial", "RetryBackoffMax", "ShutdownTimeout", "ConsumerIdleTimeout",
        ];
        Assert.Equal(named.Length, error.Failures.Count());
        foreach (var option in named)
            Assert.Contains(error.Failures, f => f.StartsWith(option + " is ", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_BackoffCapBelowInitialBackoff_NamesRetryBackoffMax()
    {
        var options = Valid();
        options.RetryBackoffInitial = TimeSpan.FromSeconds(10);
        options.RetryBackoffMax = TimeSpan.FromSeconds(1);

        var error = ConstructWith(options);

        Assert.StartsWith("RetryBackoffMax is ", Assert.Single(error.Failures));
    }

    [Fact]
    public void Constructor_DeadLetterStreamIsTheStreamItself_IsRejected()
    {
        var options = Valid();
        options.DeadLetterStream = options.Stream;

        var error = ConstructWith(options);

        Assert.StartsWith("DeadLetterStream ", Assert.Single(error.Failures));
    }

    [Fact]
    public void Constructor_UndefinedStartPosition_IsRejected()
    {
        var options = Valid();
        options.StartPosition = (StreamStartPosition)7;

        var error = ConstructWith(options);

        Assert.StartsWith("StartPosition 7 ", Assert.Single(error.Failures));
    }

    [Fact]
    public void Validator_ValidOptions_ReportsNothingAndChangesNothing()
    {
        var options = Valid();
        var before = System.Text.Json.JsonSerializer.Serialize(options);

        Assert.Empty(StreamSubscriberOptionsValidator.Check(options));
        Assert.Equal(before, System.Text.Json.JsonSerializer.Serialize(options));
    }

    [Fact]
    public void PublisherConstructor_MaxLengthZeroAndBothTrimModes_OneExceptionNamesEachProblem()
    {
        var connections = new RedisConnectionFactory("127.0.0.1:1");

        var error = Assert.Throws<ArgumentException>(() =>
            new StreamPublisher(
                connections, new StreamPublisherOptions { MaxLength = 0, MinIdAge = TimeSpan.FromMinutes(1) }));

        Assert.Contains("MaxLength is 0", error.Message);
        Assert.Contains("MaxLength and MinIdAge are both set", error.Message);
    }
}
