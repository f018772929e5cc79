using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// The consumer name of one local host. The first host in a process is this process's instance
/// (<see cref="ConsumerNames.ForThisInstance"/>); each further host in the same process (tests run several) is another
/// instance, so it takes a slot of its own, held until that host stops. With <c>WEBSITE_INSTANCE_ID</c> set, further
/// hosts append their number to it.
/// </summary>
internal sealed class HostConsumerName
{
    private static int _hostsInProcess;

    private HostConsumerName(string name, ConsumerSlot? slot)
    {
        Name = name;
        Slot = slot;
    }

    public string Name { get; }

    /// <summary>The slot this host holds on its own (released when it stops); null when it uses the process's
    /// name.</summary>
    public ConsumerSlot? Slot { get; }

    public static HostConsumerName ForNewHost()
    {
        var number = Interlocked.Increment(ref _hostsInProcess);
        if (number == 1)
            return new HostConsumerName(ConsumerNames.ForThisInstance(), null);
        if (ConsumerNames.InstanceId() is { } instance)
            return new HostConsumerName($"{instance}-{number}", null);
        var slot = ConsumerSlot.Take();
        return new HostConsumerName(slot.Name, slot);
    }
}
