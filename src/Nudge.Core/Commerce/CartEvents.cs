namespace Nudge.Core.Commerce;

/// <summary>The shopper added a product to the cart (<c>Product Added</c>).</summary>
public sealed record ProductAdded : CommerceEvent
{
    /// <summary>The cart's id.</summary>
    public string? CartId { get; init; }

    /// <summary>The product added, with the quantity added.</summary>
    public Product Product { get; init; } = new();
}

/// <summary>The shopper removed a product from the cart (<c>Product Removed</c>).</summary>
public sealed record ProductRemoved : CommerceEvent
{
    /// <summary>The cart's id.</summary>
    public string? CartId { get; init; }

    /// <summary>The product removed, with the quantity removed.</summary>
    public Product Product { get; init; } = new();
}

/// <summary>The shopper viewed the cart (<c>Cart Viewed</c>).</summary>
public sealed record CartViewed : CommerceEvent
{
    /// <summary>The cart's id.</summary>
    public string? CartId { get; init; }

    /// <summary>Products in the cart.</summary>
    public IReadOnlyList<Product> Products { get; init; } = [];
}

/// <summary>A coupon was applied to a cart or order (<c>Coupon Applied</c>).</summary>
public sealed record CouponApplied : CommerceEvent
{
    /// <summary>The order the coupon applies to.</summary>
    public string? OrderId { get; init; }

    /// <summary>The cart the coupon applies to.</summary>
    public string? CartId { get; init; }

    /// <summary>The coupon's id.</summary>
    public string? CouponId { get; init; }

    /// <summary>The coupon's name.</summary>
    public string? CouponName { get; init; }

    /// <summary>Amount the coupon took off.</summary>
    public decimal? Discount { get; init; }
}
