namespace Nudge.Core.Profiles;

/// <summary>
/// One order of a person. Kept per order id so a resent Order Completed counts once and
/// refunds and cancellations correct the revenue of the right order.
/// </summary>
public sealed record OrderRecord(string OrderId, decimal Value, decimal Refunded, string? Currency, DateTimeOffset PlacedAt, bool Cancelled)
{
    public decimal NetValue => Cancelled ? 0 : Math.Max(0, Value - Refunded);
}
