using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Nudge.Core.Catalog;
using Nudge.Storage.Events;

namespace Nudge.Server.Catalog;

/// <summary>
/// Builds the per-person events of the product signals. Their message ids are made from the product, the change and
/// the person, so a signal processed twice (a restart before the tailer saved its place) is dropped by the log.
/// </summary>
public static class SignalMessages
{
    /// <summary>The message id of a price drop told to one person.</summary>
    public static string PriceDropId(string workspaceId, string productId, string? variantId, long priceRowId, string profileId) =>
        "nudge-price-drop-" + Hash($"{workspaceId}\u001f{productId}\u001f{variantId}\u001f{priceRowId.ToString(CultureInfo.InvariantCulture)}\u001f{profileId}");

    /// <summary>The message id of a restock told to one person.</summary>
    public static string BackInStockId(string workspaceId, long restockId, string profileId) =>
        "nudge-back-in-stock-" + Hash($"{workspaceId}\u001f{restockId.ToString(CultureInfo.InvariantCulture)}\u001f{profileId}");

    public static EventToAppend PriceDropped(
        string workspaceId, string profileId, string messageId, CatalogProduct product, string? variantId, PriceDrop drop, DateTimeOffset at)
    {
        var properties = ProductProperties(product, variantId);
        properties["price"] = drop.NewPrice;
        properties["reference_price"] = drop.ReferencePrice;
        properties["currency"] = drop.Currency;
        properties["drop_amount"] = drop.Amount;
        properties["drop_percent"] = drop.Percent;
        return Track(workspaceId, profileId, CatalogEvents.PriceDropped, messageId, at, properties);
    }

    public static EventToAppend BackInStock(
        string workspaceId, string profileId, string messageId, CatalogProduct product, string? variantId, int? quantity, string reason, DateTimeOffset at)
    {
        var properties = ProductProperties(product, variantId);
        var variant = variantId is null ? null : product.Variants.FirstOrDefault(v => v.Id == variantId);
        properties["price"] = variant?.Price ?? product.Price;
        properties["currency"] = product.Currency;
        properties["quantity"] = quantity;
        properties["reason"] = reason;
        return Track(workspaceId, profileId, CatalogEvents.BackInStock, messageId, at, properties);
    }

    /// <summary>The product as the Segment e-commerce spec names its fields, so templates read it like a Product Viewed.</summary>
    private static JsonObject ProductProperties(CatalogProduct product, string? variantId)
    {
        var variant = variantId is null ? null : product.Variants.FirstOrDefault(v => v.Id == variantId);
        return new JsonObject
        {
            ["product_id"] = product.Id,
            ["variant_id"] = variantId,
            ["sku"] = variant?.Sku ?? product.Sku,
            ["name"] = product.Title,
            ["variant"] = variant?.Title,
            ["brand"] = product.Brand,
            ["category"] = product.Categories.Count > 0 ? product.Categories[0] : null,
            ["url"] = variant?.Url ?? product.Url,
            ["image_url"] = variant?.ImageUrl ?? product.ImageUrl,
        };
    }

    private static EventToAppend Track(string workspaceId, string profileId, string name, string messageId, DateTimeOffset at, JsonObject properties)
    {
        var context = new JsonObject { ["library"] = new JsonObject { ["name"] = "nudge", ["version"] = "catalog" } };
        return EventToAppend.ProfileTrack(workspaceId, profileId, name, messageId, at, properties, context: context);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
}
