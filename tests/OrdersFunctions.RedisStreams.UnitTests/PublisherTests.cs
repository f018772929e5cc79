using System.Diagnostics;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.UnitTests;

public class PublisherTests
{
    [Fact]
    public void SerializeHeaders_WithActivity_AddsItsTraceParent()
    {
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();

        var json = StreamPublisher.SerializeHeaders(new Dictionary<string, string> { ["tenant"] = "t1" }, activity);

        Assert.True(EnvelopeReader.TryReadHeaders(json, out var headers, out _));
        Assert.Equal("t1", headers["tenant"]);
        Assert.Equal(activity.Id, headers["traceparent"]);
    }

    [Fact]
    public void SerializeHeaders_CallerSetTraceParent_KeepsTheCallers()
    {
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();

        var json = StreamPublisher.SerializeHeaders(
            new Dictionary<string, string> { ["traceparent"] = "mine" }, activity);

        Assert.True(EnvelopeReader.TryReadHeaders(json, out var headers, out _));
        Assert.Equal("mine", headers["traceparent"]);
    }

    [Fact]
    public void SerializeHeaders_NoHeadersNoActivity_IsEmptyObject() =>
        Assert.Equal("{}", StreamPublisher.SerializeHeaders(new Dictionary<string, string>(), null));

    [Fact]
    public void StreamPublisherOptions_BothTrimModes_IsRejected() =>
        Assert.Single(new StreamPublisherOptions { MaxLength = 10, MinIdAge = TimeSpan.FromHours(1) }.Validate());

    [Fact]
    public void StreamPublisher_InvalidTrimming_ThrowsNamingTheOption() =>
        Assert.Contains("MaxLength", Assert.Throws<ArgumentException>(() =>
            new StreamPublisher(
                new RedisConnectionFactory("127.0.0.1:1"), new StreamPublisherOptions { MaxLength = 0 })).Message);

    [Fact]
    public async Task PublishAsync_EmptyStream_ThrowsBeforeTouchingRedis()
    {
        var publisher = new StreamPublisher(new RedisConnectionFactory("127.0.0.1:1"));
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            publisher.PublishAsync("", new OutgoingMessage("T", Array.Empty<byte>())));
        Assert.Equal("stream", error.ParamName);
    }

    [Fact]
    public void RedisConnectionFactory_EmptyConnectionString_Throws() =>
        Assert.Throws<ArgumentException>(() => new RedisConnectionFactory(" "));

    [Fact]
    public void RedisStreamsOptionsValidator_EmptyConnectionString_Fails() =>
        Assert.True(new RedisStreamsOptionsValidator().Validate(null, new RedisStreamsOptions()).Failed);
}
