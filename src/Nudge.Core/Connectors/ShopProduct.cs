namespace Nudge.Core.Connectors;

/// <summary>
/// A product (or one of its variants) as a shop's webhook describes it, for the catalog. A product with variants comes as
/// one entry for the product itself (no price or stock) and one per variant; null fields are ones the webhook does not carry.
/// </summary>
/// <param name="ProductId">The shop's product id.</param>
/// <param name="VariantId">The variant's id, or null for the product itself (or a shop without variants).</param>
/// <param name="Sku">Stock keeping unit.</param>
/// <param name="Title">Display name: the product's, or the variant's own ("Pink", null for a shop's default variant).</param>
/// <param name="Url">The product page.</param>
/// <param name="ImageUrl">The main image.</param>
/// <param name="Price">Price of one unit.</param>
/// <param name="CompareAtPrice">The crossed-out price, if any.</param>
/// <param name="Currency">ISO 4217 code, if the payload names it.</param>
/// <param name="Categories">Categories (WooCommerce) or the product type (Shopify).</param>
/// <param name="Brand">Brand or vendor.</param>
/// <param name="ProductType">The product type, if any.</param>
/// <param name="Tags">Tags.</param>
/// <param name="InventoryQuantity">Units in stock, when the shop tracks it.</param>
/// <param name="Available">Whether it can be bought.</param>
/// <param name="InventoryItemId">Shopify's inventory item of the variant (inventory level webhooks name only this).</param>
/// <param name="UpdatedAt">When the shop last changed it.</param>
public sealed record ShopProduct(
    string ProductId,
    string? VariantId,
    string? Sku,
    string? Title,
    string? Url,
    string? ImageUrl,
    decimal? Price,
    decimal? CompareAtPrice,
    string? Currency,
    IReadOnlyList<string> Categories,
    string? Brand,
    string? ProductType,
    IReadOnlyList<string> Tags,
    long? InventoryQuantity,
    bool? Available,
    string? InventoryItemId,
    DateTimeOffset? UpdatedAt);
