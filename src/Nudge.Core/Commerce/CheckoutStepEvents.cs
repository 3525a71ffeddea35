namespace Nudge.Core.Commerce;

/// <summary>
/// The step properties shared by <see cref="CheckoutStepCompleted"/> and <see cref="PaymentInfoEntered"/>.
/// </summary>
public abstract record CheckoutStepEvent : CommerceEvent
{
    /// <summary>The checkout's id.</summary>
    public string? CheckoutId { get; init; }

    /// <summary>The order's id, when the shop has created one already.</summary>
    public string? OrderId { get; init; }

    /// <summary>Number of the checkout step.</summary>
    public int? Step { get; init; }

    /// <summary>Shipping method chosen, such as "Fedex".</summary>
    public string? ShippingMethod { get; init; }

    /// <summary>Payment method chosen, such as "Visa".</summary>
    public string? PaymentMethod { get; init; }
}

/// <summary>The shopper completed a checkout step (<c>Checkout Step Completed</c>).</summary>
public sealed record CheckoutStepCompleted : CheckoutStepEvent;

/// <summary>The shopper entered payment information (<c>Payment Info Entered</c>).</summary>
public sealed record PaymentInfoEntered : CheckoutStepEvent;
