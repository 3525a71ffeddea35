using Nudge.Core.Catalog;

namespace Nudge.Storage.Catalog;

/// <summary>A catalog search: every filter that is set must match; products come in id order, paged with <see cref="After"/>.</summary>
/// <param name="Text">Words found (as typed, case-insensitively) in the title, a SKU or the brand.</param>
/// <param name="Category">One of the product's categories (case-insensitive, whole entry).</param>
/// <param name="Brand">The brand (case-insensitive).</param>
/// <param name="ProductType">The product type (case-insensitive).</param>
/// <param name="Tag">One of the product's tags (case-insensitive).</param>
/// <param name="InStock">True: only products that can be bought now; false: only those that cannot.</param>
/// <param name="After">Page cursor: the last product id of the previous page.</param>
/// <param name="Limit">Page size.</param>
public sealed record CatalogQuery(
    string? Text = null,
    string? Category = null,
    string? Brand = null,
    string? ProductType = null,
    string? Tag = null,
    bool? InStock = null,
    string? After = null,
    int Limit = 50);

/// <summary>A page of search results.</summary>
/// <param name="Products">The products, in id order.</param>
/// <param name="Next">The cursor of the next page (pass as <see cref="CatalogQuery.After"/>); null on the last page.</param>
public sealed record CatalogPage(IReadOnlyList<CatalogProduct> Products, string? Next);

/// <summary>A row of the price history.</summary>
/// <param name="Id">Its position in the history (increases with every row of every product).</param>
/// <param name="ProductId">The product.</param>
/// <param name="VariantId">The variant, or null for the product's own price.</param>
/// <param name="At">When the price was seen first.</param>
/// <param name="Price">The price from then on (null: removed).</param>
/// <param name="CompareAtPrice">The compare-at price at that moment.</param>
/// <param name="Currency">The currency.</param>
public sealed record PricePoint(long Id, string ProductId, string? VariantId, DateTimeOffset At, decimal? Price, decimal? CompareAtPrice, string? Currency);

/// <summary>A row of the inventory history.</summary>
/// <param name="Id">Its position in the history.</param>
/// <param name="ProductId">The product.</param>
/// <param name="VariantId">The variant, or null for the product's own stock.</param>
/// <param name="At">When the stock was seen first.</param>
/// <param name="Quantity">Units from then on (null: not tracked).</param>
/// <param name="InStock">Whether it could be bought from then on.</param>
public sealed record StockPoint(long Id, string ProductId, string? VariantId, DateTimeOffset At, int? Quantity, bool InStock);
