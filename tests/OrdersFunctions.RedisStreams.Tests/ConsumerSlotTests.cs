using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>The consumer name without WEBSITE_INSTANCE_ID: the same after a restart, different for instances running at
/// once. Each test uses its own lock folder, so it does not see the slots of other processes on this machine.</summary>
public sealed class ConsumerSlotTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("consumer-slots-").FullName;

    [Fact]
    public void Take_AfterTheHolderReleasedIt_GivesTheSameNameAgain()
    {
        string before;
        using (var first = ConsumerSlot.Take(_folder))
            before = first.Name;

        using var restarted = ConsumerSlot.Take(_folder);

        Assert.Equal(before, restarted.Name);
    }

    [Fact]
    public void Take_WhileAnotherInstanceHoldsASlot_GivesADifferentName()
    {
        using var first = ConsumerSlot.Take(_folder);
        using var second = ConsumerSlot.Take(_folder);

        Assert.NotEqual(first.Name, second.Name);
    }

    [Fact]
    public void Take_OneOfTwoRestarts_GetsItsOwnNameBackAndTheOtherKeepsHis()
    {
        var first = ConsumerSlot.Take(_folder);
        using var second = ConsumerSlot.Take(_folder);
        var firstName = first.Name;
        first.Dispose();

        using var firstRestarted = ConsumerSlot.Take(_folder);

        Assert.Equal(firstName, firstRestarted.Name);
        Assert.NotEqual(second.Name, firstRestarted.Name);
    }

    [Fact]
    public void Name_IsTheMachineAndTheSlotNumber_NotTheProcessId()
    {
        using var slot = ConsumerSlot.Take(_folder);

        Assert.Equal($"{Environment.MachineName}-{slot.Number}", slot.Name);
        Assert.Equal(1, slot.Number);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
