using Nudge.Core.Catalog;

namespace Nudge.Core.Connectors;

/// <summary>
/// Turns the products of a shop webhook into catalog products, and merges them into what the catalog already has: a
/// field the webhook does not carry keeps its stored value, and what only Nudge knows (marketing attributes, the first
/// time it saw the product) is never touched.
/// </summary>
public static class ShopCatalog
{
    /// <summary>
    /// One catalog product per product id (in the order first named), with its variants; the last entry wins when one
    /// product or variant comes twice. Entries without a product id (Shopify inventory levels) are left out. Fields the
    /// webhook does not carry are null (the title too: see <see cref="Create"/>).
    /// </summary>
    public static IReadOnlyList<CatalogProduct> Group(IEnumerable<ShopProduct> products)
    {
        ArgumentNullException.ThrowIfNull(products);
        return products
            .Where(p => p.ProductId.Length > 0)
            .GroupBy(p => p.ProductId, StringComparer.Ordinal)
            .Select(ToProduct)
            .ToList();
    }

    /// <summary>A product the catalog does not have yet: as the webhook describes it, titled by its id when it has no title.</summary>
    public static CatalogProduct Create(CatalogProduct incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        return string.IsNullOrWhiteSpace(incoming.Title) ? incoming with { Title = incoming.Id } : incoming;
    }

    /// <summary>
    /// The stored product changed by what the webhook carries. A price comes with its compare-at price (a sale that ended
    /// has none) and a quantity with its availability (untracked stock has no quantity); empty category and tag lists
    /// keep the stored ones. Stored variants the webhook does not name are kept.
    /// </summary>
    public static CatalogProduct Merge(CatalogProduct stored, CatalogProduct incoming)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(incoming);
        var (price, compareAt) = incoming.Price is not null ? (incoming.Price, incoming.CompareAtPrice) : (stored.Price, stored.CompareAtPrice);
        var (quantity, availability) = incoming.InventoryQuantity is not null || incoming.Availability is not null
            ? (incoming.InventoryQuantity, incoming.Availability)
            : (stored.InventoryQuantity, stored.Availability);
        var incomingVariants = incoming.Variants.ToDictionary(v => v.Id, StringComparer.Ordinal);
        var variants = stored.Variants
            .Select(v => incomingVariants.Remove(v.Id, out var changed) ? Merge(v, changed) : v)
            .Concat(incoming.Variants.Where(v => incomingVariants.ContainsKey(v.Id)))
            .ToList();
        return stored with
        {
            Sku = incoming.Sku ?? stored.Sku,
            Title = string.IsNullOrWhiteSpace(incoming.Title) ? stored.Title : incoming.Title,
            Url = incoming.Url ?? stored.Url,
            ImageUrl = incoming.ImageUrl ?? stored.ImageUrl,
            Price = price,
            CompareAtPrice = compareAt,
            Currency = incoming.Currency ?? stored.Currency,
            Categories = incoming.Categories.Count > 0 ? incoming.Categories : stored.Categories,
            Brand = incoming.Brand ?? stored.Brand,
            ProductType = incoming.ProductType ?? stored.ProductType,
            Tags = incoming.Tags.Count > 0 ? incoming.Tags : stored.Tags,
            InventoryQuantity = quantity,
            Availability = availability,
            Variants = variants,
            UpdatedAt = incoming.UpdatedAt ?? stored.UpdatedAt,
        };
    }

    /// <summary>
    /// The product with the stock of one variant set (a Shopify inventory level); null when the product has no such
    /// variant.
    /// </summary>
    public static CatalogProduct? SetStock(CatalogProduct stored, string variantId, long quantity, bool? available)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!stored.Variants.Any(v => v.Id == variantId))
            return null;
        return stored with
        {
            Variants = stored.Variants
                .Select(v => v.Id == variantId ? v with { InventoryQuantity = Units(quantity), Availability = ToAvailability(available) ?? v.Availability } : v)
                .ToList(),
        };
    }

    private static CatalogVariant Merge(CatalogVariant stored, CatalogVariant incoming)
    {
        var (price, compareAt) = incoming.Price is not null ? (incoming.Price, incoming.CompareAtPrice) : (stored.Price, stored.CompareAtPrice);
        var (quantity, availability) = incoming.InventoryQuantity is not null || incoming.Availability is not null
            ? (incoming.InventoryQuantity, incoming.Availability)
            : (stored.InventoryQuantity, stored.Availability);
        return stored with
        {
            Sku = incoming.Sku ?? stored.Sku,
            Title = incoming.Title ?? stored.Title,
            Url = incoming.Url ?? stored.Url,
            ImageUrl = incoming.ImageUrl ?? stored.ImageUrl,
            Price = price,
            CompareAtPrice = compareAt,
            InventoryQuantity = quantity,
            Availability = availability,
        };
    }

    private static CatalogProduct ToProduct(IGrouping<string, ShopProduct> entries)
    {
        var own = entries.LastOrDefault(p => p.VariantId is null);
        var variants = entries.Where(p => p.VariantId is not null).GroupBy(p => p.VariantId!, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        // A shop that sends variants only describes the product on each of them.
        var head = own ?? variants[0];
        return new CatalogProduct
        {
            Id = entries.Key,
            Sku = own?.Sku,
            Title = own?.Title ?? "",
            Url = head.Url,
            ImageUrl = head.ImageUrl,
            Price = own?.Price,
            CompareAtPrice = own?.CompareAtPrice,
            Currency = entries.Select(p => p.Currency).LastOrDefault(c => c is not null),
            Categories = head.Categories,
            Brand = head.Brand,
            ProductType = head.ProductType,
            Tags = head.Tags,
            InventoryQuantity = own?.InventoryQuantity is { } units ? Units(units) : null,
            Availability = ToAvailability(own?.Available),
            Variants = variants.Select(v => new CatalogVariant
            {
                Id = v.VariantId!,
                Sku = v.Sku,
                Title = v.Title,
                // A variant's own page or image only: the product's are not repeated on each variant.
                Url = v.Url == head.Url ? null : v.Url,
                ImageUrl = v.ImageUrl == head.ImageUrl ? null : v.ImageUrl,
                Price = v.Price,
                CompareAtPrice = v.CompareAtPrice,
                InventoryQuantity = v.InventoryQuantity is { } q ? Units(q) : null,
                Availability = ToAvailability(v.Available),
            }).ToList(),
            UpdatedAt = entries.Max(p => p.UpdatedAt),
        };
    }

    private static Availability? ToAvailability(bool? available) => available switch
    {
        true => Availability.InStock,
        false => Availability.OutOfStock,
        null => null,
    };

    private static int Units(long quantity) => (int)Math.Clamp(quantity, int.MinValue, int.MaxValue);
}
