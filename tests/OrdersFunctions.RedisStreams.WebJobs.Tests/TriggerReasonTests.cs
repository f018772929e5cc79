namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>The reason the host's "Executing" line shows, asked for on every invocation (no host, no Redis).</summary>
public sealed class TriggerReasonTests
{
    private static RedisConsumerGroupTriggerParameterDescriptor Descriptor(
        string stream = "orders-placed", string group = "notifications") =>
        new() { Name = "payload", Type = "RedisConsumerGroupTrigger", Stream = stream, Group = group };

    [Fact]
    public void GetTriggerReason_WithoutEntryId_NamesStreamAndGroup_SameTextEachTime()
    {
        var descriptor = Descriptor();

        var first = descriptor.GetTriggerReason(new Dictionary<string, string>());
        var second = descriptor.GetTriggerReason(new Dictionary<string, string>());

        Assert.Equal("New entry in stream orders-placed for group notifications", first);
        Assert.Same(first, second);
    }

    [Fact]
    public void GetTriggerReason_AfterStreamAndGroupAreSetAgain_NamesTheNewOnes()
    {
        var descriptor = Descriptor();
        descriptor.GetTriggerReason(new Dictionary<string, string>());

        descriptor.Stream = "orders-shipped";
        descriptor.Group = "spreadsheets";

        Assert.Equal(
            "New entry in stream orders-shipped for group spreadsheets",
            descriptor.GetTriggerReason(new Dictionary<string, string>()));
    }

    [Fact]
    public void GetTriggerReason_WithTheEntryIdBound_NamesTheEntry()
    {
        var reason = Descriptor().GetTriggerReason(new Dictionary<string, string> { ["payload"] = "1700000000000-0" });

        Assert.Equal("New entry 1700000000000-0 in stream orders-placed for group notifications", reason);
    }
}
