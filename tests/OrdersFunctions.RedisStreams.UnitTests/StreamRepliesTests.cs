using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.UnitTests;

public class StreamRepliesTests
{
    [Theory]
    [InlineData("1-0", "2-0", -1)]
    [InlineData("10-0", "9-5", 1)]
    [InlineData("5-1", "5-10", -1)]
    [InlineData("5", "5-0", 0)]
    public void CompareIds_ComparesNumerically(string left, string right, int sign) =>
        Assert.Equal(sign, Math.Sign(StreamReplies.CompareIds(left, right)));

    [Fact]
    public void SplitId_NotAnId_ThrowsNamingTheText() =>
        Assert.Contains("abc", Assert.Throws<FormatException>(() => StreamReplies.SplitId("abc")).Message);

    [Fact]
    public void ParseReadGroup_Timeout_IsEmpty() =>
        Assert.Empty(StreamReplies.ParseReadGroup(RedisResult.Create(RedisValue.Null)));

    [Fact]
    public void ParseReadGroup_OneStream_ReturnsItsEntries()
    {
        var entry = RedisResult.Create([RedisResult.Create((RedisValue)"1-0"),
            RedisResult.Create([RedisResult.Create((RedisValue)"f"), RedisResult.Create((RedisValue)"v")])]);
        var reply = RedisResult.Create(
            [RedisResult.Create([RedisResult.Create((RedisValue)"s"), RedisResult.Create([entry])])]);

        var entries = StreamReplies.ParseReadGroup(reply);

        var only = Assert.Single(entries);
        Assert.Equal("1-0", only.Id);
        Assert.Equal(2, only.Fields!.Length);
    }

    [Fact]
    public void ParsePending_ExtendedForm_ReadsConsumerIdleAndDeliveries()
    {
        var row = RedisResult.Create([RedisResult.Create((RedisValue)"1-0"), RedisResult.Create((RedisValue)"c1"),
            RedisResult.Create((RedisValue)1500), RedisResult.Create((RedisValue)3)]);

        var pending = Assert.Single(StreamReplies.ParsePending(RedisResult.Create([row])));

        Assert.Equal(new PendingEntry("1-0", "c1", TimeSpan.FromMilliseconds(1500), 3), pending);
    }
}
