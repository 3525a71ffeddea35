using System.Text.Json;
using Nudge.Core.Catalog;
using Nudge.Core.Ingestion;

namespace Nudge.Core.Tests.Catalog;

public sealed class CatalogJsonTests
{
    private static (CatalogProduct? Product, List<FieldError> Errors) Read(string json, bool strict = true)
    {
        var errors = new List<FieldError>();
        var product = CatalogJson.ReadProduct(JsonSerializer.Deserialize<JsonElement>(json), "", errors, strict);
        return (product, errors);
    }

    [Fact]
    public void A_full_product_with_variants_reads_into_every_field()
    {
        var (product, errors) = Read("""
            {"id": "shoe-1", "sku": "SH-1", "title": "Trail Runner", "url": "https://shop.example/p/shoe-1",
             "imageUrl": "https://shop.example/i.jpg", "price": 89.90, "compareAtPrice": "99.90", "currency": "eur",
             "categories": ["Shoes", "Running"], "brand": "Fleetfoot", "productType": "Shoes", "tags": "trail, new",
             "inventoryQuantity": 0, "availability": "out_of_stock", "createdAt": "2026-01-02T03:04:05Z",
             "variants": [{"id": 42, "sku": "SH-1-42", "price": 89.90, "inventoryQuantity": 3}],
             "marketing": {"complementaryProductIds": ["socks"], "reviewDelayDays": 10}}
            """);

        Assert.Empty(errors);
        Assert.NotNull(product);
        Assert.Equal(("shoe-1", 89.90m, 99.90m, "EUR"), (product.Id, product.Price, product.CompareAtPrice, product.Currency));
        Assert.Equal(["trail", "new"], product.Tags);
        Assert.Equal(Availability.OutOfStock, product.Availability);
        Assert.Equal("42", product.Variants[0].Id);
        Assert.Equal(["socks"], product.Marketing.ComplementaryProductIds);
        Assert.Equal(10, product.Marketing.ReviewDelayDays);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), product.CreatedAt);
        Assert.True(product.InStock);
    }

    [Fact]
    public void Feed_style_names_and_flat_marketing_columns_are_understood()
    {
        var (product, errors) = Read("""
            {"product_id": "p1", "name": "Beans", "image_link": "https://shop.example/b.jpg", "price": "12.50",
             "currency": "EUR", "quantity": "7", "consumption_days": "30", "google_shopping_id": "x"}
            """, strict: false);

        Assert.Empty(errors);
        Assert.Equal(("p1", "Beans", 12.50m, 7, 30), (product!.Id, product.Title, product.Price!.Value, product.InventoryQuantity!.Value, product.Marketing.ConsumptionDays!.Value));
        Assert.Equal("https://shop.example/b.jpg", product.ImageUrl);
    }

    [Fact]
    public void Every_wrong_field_is_named_by_its_path()
    {
        var (product, errors) = Read("""
            {"id": "", "title": "T", "price": "cheap", "currency": "EUR", "url": "ftp://x",
             "variants": [{"id": "v", "price": -1}, {"id": "v"}], "marketing": {"reviewDelayDays": 0}, "colour": "red"}
            """);

        Assert.Null(product);
        var fields = errors.Select(e => e.Field).ToHashSet();
        Assert.Contains("price", fields);
        Assert.Contains("colour", fields);
        var (_, semantic) = Read("""
            {"id": "", "title": "T", "currency": "EUR", "url": "ftp://x",
             "variants": [{"id": "v", "price": -1}, {"id": "v"}], "marketing": {"reviewDelayDays": 0, "upsellProductIds": ["p"]}}
            """);
        Assert.Equal(
            ["id", "url", "variants[0].price", "variants[1].id", "marketing.reviewDelayDays"],
            semantic.Select(e => e.Field));
    }

    [Fact]
    public void A_price_needs_a_currency()
    {
        var (_, errors) = Read("""{"id": "p", "title": "T", "price": 5}""");

        Assert.Equal("currency", Assert.Single(errors).Field);
    }

    [Fact]
    public void A_product_cannot_be_its_own_cross_sell()
    {
        var (_, errors) = Read("""{"id": "p", "title": "T", "marketing": {"complementaryProductIds": ["q", "p"]}}""");

        Assert.Equal("marketing.complementaryProductIds[1]", Assert.Single(errors).Field);
    }

    [Fact]
    public void Product_type_attributes_name_their_fields_without_a_prefix()
    {
        var errors = new List<FieldError>();

        var attributes = CatalogJson.ReadProductTypeAttributes(JsonSerializer.Deserialize<JsonElement>("""{"reviewDelayDays": 99999, "size": 1}"""), errors);

        Assert.Null(attributes);
        Assert.Equal(["size"], errors.Select(e => e.Field));
        errors.Clear();
        CatalogJson.ReadProductTypeAttributes(JsonSerializer.Deserialize<JsonElement>("""{"reviewDelayDays": 99999}"""), errors);
        Assert.Equal(["reviewDelayDays"], errors.Select(e => e.Field));
    }
}
