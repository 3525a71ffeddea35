namespace Nudge.Core.Catalog;

/// <summary>
/// A product of the shop's catalog as the shop (API, feed, connector) describes it. Variants carry their own
/// price and stock; the product's own price and stock stand for a product sold without variants.
/// </summary>
public sealed record CatalogProduct
{
    /// <summary>The shop's id of the product; what <c>product_id</c> in tracked events names.</summary>
    public required string Id { get; init; }

    /// <summary>Stock keeping unit.</summary>
    public string? Sku { get; init; }

    /// <summary>Display name.</summary>
    public required string Title { get; init; }

    /// <summary>Address of the product page.</summary>
    public string? Url { get; init; }

    /// <summary>Address of the main product image.</summary>
    public string? ImageUrl { get; init; }

    /// <summary>Price of one unit in <see cref="Currency"/>.</summary>
    public decimal? Price { get; init; }

    /// <summary>The "was" price shown struck through, when the shop shows one.</summary>
    public decimal? CompareAtPrice { get; init; }

    /// <summary>Upper-case ISO 4217 code of the prices (of the variants too).</summary>
    public string? Currency { get; init; }

    /// <summary>Categories, most general first or in the shop's order.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Brand or maker.</summary>
    public string? Brand { get; init; }

    /// <summary>The kind of product ("Shoes", "Coffee"); marketing defaults such as the review delay follow it.</summary>
    public string? ProductType { get; init; }

    /// <summary>Free tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Units in stock; null when the shop does not track stock for this product.</summary>
    public int? InventoryQuantity { get; init; }

    /// <summary>Whether it can be bought; null works it out from <see cref="InventoryQuantity"/> (see <see cref="Stock"/>).</summary>
    public Availability? Availability { get; init; }

    /// <summary>Sizes, colours and other variants; empty for a product sold as one.</summary>
    public IReadOnlyList<CatalogVariant> Variants { get; init; } = [];

    /// <summary>Marketing attributes set on this product; unset ones come from its product type (<see cref="MarketingResolver"/>).</summary>
    public MarketingAttributes Marketing { get; init; } = MarketingAttributes.None;

    /// <summary>When the shop created the product; the store keeps the first time it saw it when the shop does not say.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the shop last changed the product; the store keeps the time of its last change when the shop does not say.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>True when the product, or any of its variants, can be bought now.</summary>
    public bool InStock => Variants.Count == 0
        ? Stock.IsAvailable(Availability, InventoryQuantity)
        : Variants.Any(v => v.InStock);
}

/// <summary>A variant (size, colour, pack size) of a product, with its own price and stock.</summary>
public sealed record CatalogVariant
{
    /// <summary>The shop's id of the variant, unique within its product.</summary>
    public required string Id { get; init; }

    /// <summary>Stock keeping unit.</summary>
    public string? Sku { get; init; }

    /// <summary>Display name of the variant ("42 / black").</summary>
    public string? Title { get; init; }

    /// <summary>Address of the variant's page, when it has its own.</summary>
    public string? Url { get; init; }

    /// <summary>Address of the variant's image, when it has its own.</summary>
    public string? ImageUrl { get; init; }

    /// <summary>Price of one unit in the product's currency.</summary>
    public decimal? Price { get; init; }

    /// <summary>The "was" price shown struck through.</summary>
    public decimal? CompareAtPrice { get; init; }

    /// <summary>Units in stock; null when not tracked.</summary>
    public int? InventoryQuantity { get; init; }

    /// <summary>Whether it can be bought; null works it out from <see cref="InventoryQuantity"/>.</summary>
    public Availability? Availability { get; init; }

    /// <summary>True when the variant can be bought now.</summary>
    public bool InStock => Stock.IsAvailable(Availability, InventoryQuantity);
}

/// <summary>Whether a product or variant can be bought.</summary>
public enum Availability
{
    /// <summary>Can be bought and shipped now.</summary>
    InStock,

    /// <summary>Cannot be bought now.</summary>
    OutOfStock,

    /// <summary>Can be ordered now and ships when it arrives: counts as out of stock for back-in-stock.</summary>
    Preorder,

    /// <summary>Can be ordered now although none are in stock: counts as out of stock for back-in-stock.</summary>
    Backorder,
}

/// <summary>The one rule for "in stock", so the store, the signals and the API agree.</summary>
public static class Stock
{
    /// <summary>
    /// In stock when the shop says <see cref="Availability.InStock"/>; without a stated availability, when more than
    /// zero units are in stock or stock is not tracked at all.
    /// </summary>
    public static bool IsAvailable(Availability? availability, int? quantity) =>
        availability is { } stated ? stated == Availability.InStock : quantity is null or > 0;
}
