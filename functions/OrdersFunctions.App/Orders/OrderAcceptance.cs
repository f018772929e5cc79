namespace OrdersFunctions.App.Orders;

/// <summary>What <see cref="OrderIntake"/> made of a request.</summary>
public abstract record OrderAcceptance
{
    /// <summary>Published now, or earlier under the same Idempotency-Key (<paramref name="Replayed"/>).</summary>
    public sealed record Accepted(string OrderId, string StreamEntryId, bool Replayed) : OrderAcceptance;

    /// <summary>A request with the same Idempotency-Key is still being handled.</summary>
    public sealed record InProgress : OrderAcceptance;

    /// <summary>The Idempotency-Key was first used with a different body.</summary>
    public sealed record KeyReused : OrderAcceptance;
}
