using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Retention;

namespace OrdersFunctions.RedisStreams.UnitTests;

/// <summary>The pure parts of retention: which servers can trim by MINID, and the id arithmetic of the floor.</summary>
public sealed class RetentionDecisionTests
{
    [Theory]
    [InlineData("5.0.14", false)]
    [InlineData("6.0.16", false)]
    [InlineData("6.2.0", true)]
    [InlineData("7.0.15", true)]
    [InlineData("8.2.1", true)]
    public void SupportsMinIdTrimming_FromRedis62(string version, bool expected) =>
        Assert.Equal(expected, RedisServerVersion.SupportsMinIdTrimming(Version.Parse(version)));

    [Fact]
    public void SupportsMinIdTrimming_UnknownVersion_IsTried() =>
        Assert.True(RedisServerVersion.SupportsMinIdTrimming(null));

    [Fact]
    public void Parse_ReadsRedisVersionFromInfoServer() =>
        Assert.Equal(
            new Version(6, 0, 16),
            RedisServerVersion.Parse("# Server\r\nredis_version:6.0.16\r\nredis_git_sha1:00000000\r\n"));

    [Fact]
    public void Parse_WithoutRedisVersion_IsNull() =>
        Assert.Null(RedisServerVersion.Parse("# Server\r\nsomething:else\r\n"));

    [Theory]
    [InlineData("5-0", "5-1")]
    [InlineData("0-0", "0-1")]
    [InlineData("7-18446744073709551615", "8-0")]
    public void Successor_IsTheSmallestLargerId(string id, string expected) =>
        Assert.Equal(expected, StreamIds.Successor(id));

    [Fact]
    public void AtTime_IsTheMillisecondIdWithSequenceZero() =>
        Assert.Equal("1700000000000-0", StreamIds.AtTime(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000)));

    [Fact]
    public void RetentionFloor_ValveAppliesOnlyWhenItIsAboveTheSafeFloor()
    {
        var below = new RetentionFloor("10-0", "g", "10-0", [], "5-0");
        var above = new RetentionFloor("20-0", "g", "10-0", [new GroupFloor("g", "10-0", "9-0", null, 0)], "20-0");

        Assert.False(below.ValveApplies);
        Assert.True(above.ValveApplies);
        Assert.Equal("g", Assert.Single(above.GroupsBehindFloor).Group);
    }
}

/// <summary>Validation and binding of the retention options.</summary>
public sealed class RetentionOptionsTests
{
    private static StreamSubscriberOptions Valid() =>
        new() { Stream = "orders-placed", Group = "notifications", Consumer = "c1" };

    [Fact]
    public void Check_RetentionMaxAgeBelowMinAge_NamesBoth()
    {
        var options = Valid();
        options.RetentionMinAge = TimeSpan.FromHours(2);
        options.RetentionMaxAge = TimeSpan.FromHours(1);

        var error = Assert.Single(StreamSubscriberOptionsValidator.Check(options));

        Assert.StartsWith("RetentionMaxAge ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BadRetentionValues_AreAllReported()
    {
        var options = Valid();
        options.RetentionMaxLength = 0;
        options.RetentionInterval = TimeSpan.Zero;
        options.DeadLetterMaxAge = TimeSpan.FromSeconds(1);

        var errors = StreamSubscriberOptionsValidator.Check(options);

        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Set_Off_ClearsASafetyValveALowerLayerSet()
    {
        var options = Valid();
        options.RetentionMaxAge = TimeSpan.FromHours(6);
        var errors = new List<string>();

        StreamSubscriberOptionsBinder.Set(options, "RetentionMaxAge", "off", "test", errors);

        Assert.Empty(errors);
        Assert.Null(options.RetentionMaxAge);
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("false", false)]
    public void Set_Retention_AcceptsOnOffAndBooleans(string text, bool expected)
    {
        var options = Valid();
        var errors = new List<string>();

        StreamSubscriberOptionsBinder.Set(options, "Retention", text, "test", errors);

        Assert.Empty(errors);
        Assert.Equal(expected, options.Retention);
    }

    [Fact]
    public void Set_RetentionNotABoolean_SaysWhatItMustBe()
    {
        var errors = new List<string>();

        StreamSubscriberOptionsBinder.Set(Valid(), "Retention", "maybe", "setting 'RedisStreams:Retention'", errors);

        Assert.Contains("true/on or false/off", Assert.Single(errors), StringComparison.Ordinal);
    }
}
