namespace Nudge.Storage.Catalog;

/// <summary>What a bulk upsert did.</summary>
/// <param name="Created">Products that were new.</param>
/// <param name="Updated">Products whose content changed.</param>
/// <param name="Unchanged">Products sent exactly as stored: nothing was written for them.</param>
/// <param name="Changes">One entry per created or updated product, in the order sent.</param>
public sealed record CatalogUpsertResult(int Created, int Updated, int Unchanged, IReadOnlyList<CatalogChange> Changes)
{
    /// <summary>Nothing sent.</summary>
    public static CatalogUpsertResult Empty { get; } = new(0, 0, 0, []);
}

/// <summary>One product an upsert created or changed.</summary>
/// <param name="ProductId">The product.</param>
/// <param name="Created">True when it was new.</param>
/// <param name="Prices">Price changes recorded in the price history (a new product's first prices too).</param>
/// <param name="Stock">Stock changes recorded in the inventory history (a new product's first stock too).</param>
public sealed record CatalogChange(string ProductId, bool Created, IReadOnlyList<PriceChange> Prices, IReadOnlyList<StockChange> Stock);

/// <summary>A price change of a product (<see cref="VariantId"/> null) or of one of its variants.</summary>
/// <param name="VariantId">The variant, or null for the product's own price.</param>
/// <param name="OldPrice">The price before (null: none, e.g. a new product).</param>
/// <param name="NewPrice">The price now (null: the price was removed).</param>
/// <param name="Currency">The currency now.</param>
public sealed record PriceChange(string? VariantId, decimal? OldPrice, decimal? NewPrice, string? Currency);

/// <summary>A stock change of a product (<see cref="VariantId"/> null) or of one of its variants.</summary>
/// <param name="VariantId">The variant, or null for the product's own stock.</param>
/// <param name="OldQuantity">Units before (null: not tracked or unknown).</param>
/// <param name="NewQuantity">Units now (null: not tracked).</param>
/// <param name="WasInStock">Whether it could be bought before (false for a new product).</param>
/// <param name="InStock">Whether it can be bought now.</param>
public sealed record StockChange(string? VariantId, int? OldQuantity, int? NewQuantity, bool WasInStock, bool InStock);
