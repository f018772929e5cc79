using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.UnitTests;

public class EnvelopeReaderTests
{
    private static RawEntry Entry(params (string Name, string Value)[] fields) =>
        new("1700000000000-0", fields
            .SelectMany(f => new[] { RedisResult.Create((RedisValue)f.Name), RedisResult.Create((RedisValue)f.Value) })
            .ToArray());

    private static StreamMessage? Read(RawEntry entry, out string? problem) =>
        EnvelopeReader.TryRead(entry, "s", "g", "c", 2, out problem);

    [Fact]
    public void TryRead_CompleteEnvelope_ReturnsEveryField()
    {
        var message = Read(Entry(
            ("message_id", "m1"), ("type", "OrderPlaced"), ("payload", "{\"a\":1}"),
            ("headers", "{\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"}"),
            ("published_at", "2024-05-06T07:08:09.1234567Z")), out var problem);

        Assert.Null(problem);
        Assert.NotNull(message);
        Assert.Equal("1700000000000-0", message.EntryId);
        Assert.Equal("m1", message.MessageId);
        Assert.Equal("OrderPlaced", message.Type);
        Assert.Equal("{\"a\":1}", System.Text.Encoding.UTF8.GetString(message.Payload.Span));
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", message.Headers["traceparent"]);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234567), message.PublishedAt);
        Assert.Equal(2, message.DeliveryCount);
        Assert.Equal(("s", "g", "c"), (message.Stream, message.Group, message.Consumer));
    }

    [Fact]
    public void TryRead_MissingEnvelopeFields_NamesEachMissingField()
    {
        var message = Read(Entry(("type", "OrderPlaced"), ("other", "x")), out var problem);

        Assert.Null(message);
        Assert.Contains("field(s) message_id, payload:", problem);
    }

    [Fact]
    public void TryRead_HeadersNotJson_IsMalformedWithReason()
    {
        var message = Read(
            Entry(("message_id", "m1"), ("type", "T"), ("payload", "p"), ("headers", "not json")), out var problem);

        Assert.Null(message);
        Assert.Contains("headers", problem);
    }

    [Fact]
    public void TryRead_NoHeadersAndNoPublishedAt_GivesEmptyHeadersAndNullTime()
    {
        var message = Read(Entry(("message_id", "m1"), ("type", "T"), ("payload", "")), out _);

        Assert.NotNull(message);
        Assert.Empty(message.Headers);
        Assert.Null(message.PublishedAt);
        Assert.True(message.Payload.IsEmpty);
    }

    [Fact]
    public void TryRead_DeletedEntryWithoutFields_IsNotAMessage()
    {
        Assert.Null(Read(new RawEntry("1-0", null), out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void TryRead_FieldsAsBytes_AsRedisReturnsThem_ReadsEveryField()
    {
        // Redis replies carry names and values as bytes, not strings: the name comparison must match those.
        var message = Read(
            BytesEntry(("message_id", "m1"), ("type", "OrderPlaced"), ("payload", "{}"), ("headers", "{\"k\":\"v\"}")),
            out var problem);

        Assert.Null(problem);
        Assert.NotNull(message);
        Assert.Equal(("m1", "OrderPlaced", "v"), (message.MessageId, message.Type, message.Headers["k"]));
    }

    [Fact]
    public void TryRead_FieldNameThatOnlyStartsLikeAnEnvelopeField_IsNotTaken()
    {
        var message = Read(BytesEntry(("message_id_x", "m1"), ("type", "T"), ("payload", "p")), out var problem);

        Assert.Null(message);
        Assert.Contains("message_id", problem);
    }

    [Theory]
    [InlineData("notifications", false)]
    [InlineData("spreadsheets", true)]
    public void IsForAnotherGroup_ReplayGroupFieldAsBytes_ComparesTheGroup(string group, bool expected)
    {
        var entry = BytesEntry(("message_id", "m1"), (ReplayFields.Group, "notifications"));

        Assert.Equal(expected, ReplayFields.IsForAnotherGroup(entry, group));
    }

    private static RawEntry BytesEntry(params (string Name, string Value)[] fields) =>
        new("1700000000000-0", fields.SelectMany(f => new[]
        {
            RedisResult.Create((RedisValue)System.Text.Encoding.UTF8.GetBytes(f.Name)),
            RedisResult.Create((RedisValue)System.Text.Encoding.UTF8.GetBytes(f.Value)),
        }).ToArray());
}
