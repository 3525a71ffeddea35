namespace Nudge.Core.Commerce;

/// <summary>
/// The order-shaped properties shared by <see cref="CheckoutStarted"/>, <see cref="OrderCompleted"/>,
/// <see cref="OrderRefunded"/> and <see cref="OrderCancelled"/>.
/// </summary>
public abstract record OrderEvent : CommerceEvent
{
    /// <summary>The shop's order id (<c>order_id</c>).</summary>
    public string? OrderId { get; init; }

    /// <summary>The checkout the order came from (<c>checkout_id</c>).</summary>
    public string? CheckoutId { get; init; }

    /// <summary>Store or affiliate the order came through.</summary>
    public string? Affiliation { get; init; }

    /// <summary>Order total after discounts, with shipping and tax.</summary>
    public decimal? Total { get; init; }

    /// <summary>Order total after discounts, before shipping and tax.</summary>
    public decimal? Subtotal { get; init; }

    /// <summary>Revenue the shop attributes to the order.</summary>
    public decimal? Revenue { get; init; }

    /// <summary>Shipping cost.</summary>
    public decimal? Shipping { get; init; }

    /// <summary>Tax.</summary>
    public decimal? Tax { get; init; }

    /// <summary>Discount given on the order.</summary>
    public decimal? Discount { get; init; }

    /// <summary>Coupon code redeemed on the order.</summary>
    public string? Coupon { get; init; }

    /// <summary>Upper-case ISO 4217 code, or null when absent or not a three-letter code.</summary>
    public string? Currency { get; init; }

    /// <summary>Products of the order, in the order the event lists them.</summary>
    public IReadOnlyList<Product> Products { get; init; } = [];

    /// <summary>Sum of the line totals of the priced products, or null when none has a price.</summary>
    private protected decimal? SumOfProducts()
    {
        decimal? sum = null;
        foreach (var product in Products)
        {
            if (product.LineTotal is { } line)
                sum = (sum ?? 0m) + line;
        }

        return sum;
    }
}
