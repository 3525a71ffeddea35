using System.Text.Json.Nodes;
using Nudge.Core.Catalog;

namespace Nudge.Server.Templates;

/// <summary>A catalog product as templates see it: the field names of the Segment e-commerce spec's products.</summary>
public static class ProductJson
{
    /// <summary>The product of a feed.</summary>
    public static JsonObject Of(CatalogProduct product)
    {
        ArgumentNullException.ThrowIfNull(product);
        return new JsonObject
        {
            ["product_id"] = product.Id,
            ["sku"] = product.Sku,
            ["name"] = product.Title,
            ["url"] = product.Url,
            ["image_url"] = product.ImageUrl,
            ["price"] = product.Price ?? product.Variants.Select(v => v.Price).Min(),
            ["compare_at_price"] = product.CompareAtPrice,
            ["currency"] = product.Currency,
            ["in_stock"] = product.InStock,
            ["brand"] = product.Brand,
            ["product_type"] = product.ProductType,
            ["categories"] = new JsonArray([.. product.Categories.Select(c => (JsonNode)c)]),
        };
    }

    /// <summary>
    /// Fills what an event's product leaves out (image, page, name, ...) from the catalog, and adds whether it can be
    /// bought now and its price now (<c>current_price</c>). What the event says stays: an order shows what was paid.
    /// </summary>
    public static void Complete(JsonObject product, CatalogProduct listed)
    {
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(listed);
        foreach (var (name, value) in Of(listed))
        {
            if (value is not null && product[name] is null)
                product[name] = value.DeepClone();
        }
        product["in_stock"] = listed.InStock;
        product["current_price"] = listed.Price ?? listed.Variants.Select(v => v.Price).Min();
    }

    /// <summary>The product id of an event's product (<c>product_id</c>, else <c>id</c>).</summary>
    public static string? IdOf(JsonObject product)
    {
        ArgumentNullException.ThrowIfNull(product);
        return (product["product_id"] ?? product["id"]) is JsonValue value ? value.ToString() : null;
    }
}
