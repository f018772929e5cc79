using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.UnitTests;

/// <summary><see cref="StreamKeys.SlotPrefix"/> names keys after the stream's hash tag (the slot itself is checked
/// against a real cluster in ClusterPublishTransactionTests).</summary>
public sealed class StreamKeysTests
{
    [Theory]
    [InlineData("orders-placed", "{orders-placed}:")]
    [InlineData("{orders}-placed", "{orders}-placed:")]
    [InlineData("a{b", "{a{b}:")]
    public void SlotPrefix_IsTheStreamsHashTag(string stream, string expected)
    {
        Assert.Equal(expected, StreamKeys.SlotPrefix(stream));
    }

    [Theory]
    [InlineData("orders-placed", true)]
    [InlineData("{orders}-placed", true)]
    [InlineData("a{b", true)]
    [InlineData("a{}b", false)]
    [InlineData("a}b", false)]
    public void HasSlotPrefix_SaysWhetherSlotPrefixCanNameKeys(string stream, bool expected)
    {
        Assert.Equal(expected, StreamKeys.HasSlotPrefix(stream));
    }

    [Fact]
    public void SlotPrefix_NameWithABraceButNoHashTag_IsRefusedWithWhatToDo()
    {
        var error = Assert.Throws<ArgumentException>(() => StreamKeys.SlotPrefix("a{}b"));

        Assert.Contains("'a{}b'", error.Message);
        Assert.Contains("hash tag", error.Message);
    }
}
