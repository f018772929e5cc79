namespace OrdersFunctions.Bench.Scale.Load;

/// <summary>Idle, then a surge at a steady rate, then idle again.</summary>
public sealed record LoadProfile(TimeSpan SurgeStart, TimeSpan SurgeDuration, double OrdersPerSecond)
{
    public TimeSpan SurgeEnd => SurgeStart + SurgeDuration;

    public long TotalOrders => (long)Math.Round(OrdersPerSecond * SurgeDuration.TotalSeconds);

    /// <summary>How many orders should have been sent by <paramref name="elapsed"/>.</summary>
    public long OrdersDueBy(TimeSpan elapsed)
    {
        var inSurge = Math.Clamp((elapsed - SurgeStart).TotalSeconds, 0, SurgeDuration.TotalSeconds);
        return Math.Min(TotalOrders, (long)Math.Floor(inSurge * OrdersPerSecond));
    }
}
