namespace Nudge.Core.Catalog;

/// <summary>The events the catalog's product signals write to profiles, and the one shops send to ask for a restock notice.</summary>
public static class CatalogEvents
{
    /// <summary>A product the person viewed or carted got cheaper (ADR 0015).</summary>
    public const string PriceDropped = "Price Dropped";

    /// <summary>A product the person asked about, or viewed while it was sold out, can be bought again.</summary>
    public const string BackInStock = "Back In Stock";

    /// <summary>The person asked to be told when a product is back (from the shop's product page).</summary>
    public const string BackInStockRequested = "Back In Stock Requested";

    /// <summary>The Segment e-commerce events that show interest in a product.</summary>
    public const string ProductViewed = "Product Viewed";

    /// <summary>Adding to the cart shows the strongest interest.</summary>
    public const string ProductAdded = "Product Added";
}

/// <summary>How big a back-in-stock wave may be.</summary>
public static class BackInStockWaves
{
    /// <summary>
    /// At most <paramref name="factor"/> people per unit in stock (at least one); everyone at once when stock is not
    /// tracked. A few units are not promised to a crowd: the next wave goes out only if units are left.
    /// </summary>
    public static int Size(int? quantity, int factor) =>
        quantity is not { } units ? int.MaxValue : (int)Math.Clamp((long)Math.Max(units, 1) * factor, 1, int.MaxValue);
}
