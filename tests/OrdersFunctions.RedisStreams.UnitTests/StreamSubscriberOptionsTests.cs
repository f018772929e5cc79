using Microsoft.Extensions.Options;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.UnitTests;

public class StreamSubscriberOptionsTests
{
    private static StreamSubscriberOptions Valid() =>
        new() { Stream = "orders-placed", Group = "notifications", Consumer = "c1" };

    [Fact]
    public void Check_DefaultsWithNames_AreValid() => Assert.Empty(StreamSubscriberOptionsValidator.Check(Valid()));

    [Fact]
    public void ThrowIfInvalid_SeveralBadOptions_ListsEachByName()
    {
        var options = Valid();
        options.Stream = "";
        options.Group = " ";
        options.BatchSize = 0;
        options.MaxDeliveries = 0;

        var error = Assert.Throws<OptionsValidationException>(() =>
            StreamSubscriberOptionsValidator.ThrowIfInvalid(options));

        Assert.Contains(error.Failures, f => f.StartsWith("Stream ", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Group ", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("BatchSize ", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("MaxDeliveries ", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_DeadLetterStreamEqualToStream_IsRejected()
    {
        var options = Valid();
        options.DeadLetterStream = options.Stream;
        Assert.Contains(
            StreamSubscriberOptionsValidator.Check(options),
            e => e.StartsWith("DeadLetterStream", StringComparison.Ordinal));
    }

    [Fact]
    public void StreamSubscriber_InvalidOptions_ThrowsBeforeTouchingRedis()
    {
        var options = Valid();
        options.MaxConcurrency = 0;
        Assert.Throws<OptionsValidationException>(() =>
            new StreamSubscriber(new RedisConnectionFactory("127.0.0.1:1"), options, (_, _) => Task.CompletedTask));
    }

    [Fact]
    public void EffectiveDeadLetterStream_Unset_IsStreamWithSuffix() =>
        Assert.Equal("orders-placed:dead-letter", Valid().EffectiveDeadLetterStream);

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1000)]
    [InlineData(3, 2000)]
    [InlineData(4, 4000)]
    public void BackoffBefore_DoublesFromTheInitialBackoff(int nextDelivery, int expectedMs)
    {
        var options = Valid();
        options.RetryBackoffInitial = TimeSpan.FromSeconds(1);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), options.BackoffBefore(nextDelivery));
    }

    [Fact]
    public void BackoffBefore_ManyDeliveries_IsCappedAtTheMaximum()
    {
        var options = Valid();
        options.RetryBackoffMax = TimeSpan.FromSeconds(30);
        Assert.Equal(TimeSpan.FromSeconds(30), options.BackoffBefore(1000));
    }
}
