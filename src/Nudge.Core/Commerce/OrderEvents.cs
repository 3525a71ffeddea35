namespace Nudge.Core.Commerce;

/// <summary>The shopper started checking out (<c>Checkout Started</c>).</summary>
public sealed record CheckoutStarted : OrderEvent;

/// <summary>The shopper completed an order (<c>Order Completed</c>).</summary>
public sealed record OrderCompleted : OrderEvent
{
    /// <summary>
    /// What the order is worth for reporting and goals: revenue if given, else total, else subtotal,
    /// else the sum of price times quantity of the products, else 0.
    /// </summary>
    public decimal Value => Revenue ?? Total ?? Subtotal ?? SumOfProducts() ?? 0m;
}

/// <summary>The shop refunded an order in full or in part (<c>Order Refunded</c>).</summary>
public sealed record OrderRefunded : OrderEvent
{
    /// <summary>
    /// The amount refunded: the event's <c>total</c>, else the sum of the listed products, else null,
    /// which means the whole order was refunded.
    /// </summary>
    public decimal? RefundedAmount => Total ?? SumOfProducts();

    /// <summary>True when the event names no amount, which the spec reads as a full refund.</summary>
    public bool IsFullRefund => RefundedAmount is null;
}

/// <summary>The shopper or the shop cancelled an order (<c>Order Cancelled</c>).</summary>
public sealed record OrderCancelled : OrderEvent;
