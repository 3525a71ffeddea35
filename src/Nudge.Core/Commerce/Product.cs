namespace Nudge.Core.Commerce;

/// <summary>A product as the e-commerce spec describes it, either at the top of an event or in its <c>products</c>.</summary>
public sealed record Product
{
    /// <summary>The shop's database id of the product, from <c>product_id</c> or, failing that, <c>id</c>.</summary>
    public string? ProductId { get; init; }

    /// <summary>Stock keeping unit.</summary>
    public string? Sku { get; init; }

    /// <summary>Display name.</summary>
    public string? Name { get; init; }

    /// <summary>Category, such as "Games".</summary>
    public string? Category { get; init; }

    /// <summary>Brand or maker.</summary>
    public string? Brand { get; init; }

    /// <summary>Variant, such as a size or colour.</summary>
    public string? Variant { get; init; }

    /// <summary>Price of one unit, or null when absent or unreadable.</summary>
    public decimal? Price { get; init; }

    /// <summary>Number of units; 1 when the event leaves it out or it cannot be read as a whole number.</summary>
    public int Quantity { get; init; } = 1;

    /// <summary>Coupon code applied to this product.</summary>
    public string? Coupon { get; init; }

    /// <summary>1-based position in the list the product was shown in.</summary>
    public int? Position { get; init; }

    /// <summary>Address of the product page.</summary>
    public string? Url { get; init; }

    /// <summary>Address of the product image.</summary>
    public string? ImageUrl { get; init; }

    /// <summary>Price times quantity, or null when the price is unknown.</summary>
    public decimal? LineTotal => Price * Quantity;
}
