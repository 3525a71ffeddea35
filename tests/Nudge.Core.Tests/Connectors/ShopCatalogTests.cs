using Nudge.Core.Catalog;
using Nudge.Core.Connectors;

namespace Nudge.Core.Tests.Connectors;

public sealed class ShopCatalogTests
{
    private static ShopProduct Entry(string? variantId, string? title, decimal? price = null, decimal? compareAt = null, long? quantity = null, bool? available = null) =>
        new("p1", variantId, null, title, "https://shop.example/p1", null, price, compareAt, null, [], null, null, [], quantity, available, null, null);

    [Fact]
    public void A_product_and_its_variant_entries_become_one_catalog_product_the_last_entry_of_a_variant_winning()
    {
        var product = Assert.Single(ShopCatalog.Group([Entry(null, "Mug"), Entry("v1", "Red", 10m), Entry("v2", "Blue", 12m), Entry("v1", "Red", 9m)]));

        Assert.Equal(("p1", "Mug"), (product.Id, product.Title));
        Assert.Equal([("v1", 9m), ("v2", 12m)], product.Variants.Select(v => (v.Id, v.Price!.Value)));
        // The product's page is not repeated on each variant.
        Assert.All(product.Variants, v => Assert.Null(v.Url));
    }

    [Fact]
    public void A_merge_keeps_what_the_webhook_does_not_carry_and_what_only_Nudge_knows()
    {
        var stored = new CatalogProduct
        {
            Id = "p1", Title = "Mug", Currency = "EUR", Brand = "Acme", Tags = ["kitchen"],
            Marketing = MarketingAttributes.None with { ReviewDelayDays = 12 },
            Variants = [new CatalogVariant { Id = "v1", Price = 10m, CompareAtPrice = 15m, InventoryQuantity = 3 }, new CatalogVariant { Id = "old", Price = 1m }],
        };
        var incoming = Assert.Single(ShopCatalog.Group([Entry(null, null), Entry("v1", "Red", 9m), Entry("v2", "Blue", 12m, quantity: 0, available: false)]));

        var merged = ShopCatalog.Merge(stored, incoming);

        Assert.Equal(("Mug", "EUR", "Acme", 12), (merged.Title, merged.Currency, merged.Brand, merged.Marketing.ReviewDelayDays));
        Assert.Equal(["kitchen"], merged.Tags);
        Assert.Equal(["v1", "old", "v2"], merged.Variants.Select(v => v.Id));
        // A price comes with its compare-at price (the sale ended); stock the webhook did not carry stays.
        Assert.Equal((9m, (decimal?)null, 3), (merged.Variants[0].Price!.Value, merged.Variants[0].CompareAtPrice, merged.Variants[0].InventoryQuantity!.Value));
        Assert.False(merged.Variants[2].InStock);
    }

    [Fact]
    public void Stock_of_a_variant_the_product_does_not_have_changes_nothing()
    {
        var stored = new CatalogProduct { Id = "p1", Title = "Mug", Variants = [new CatalogVariant { Id = "v1", InventoryQuantity = 0 }] };

        Assert.Null(ShopCatalog.SetStock(stored, "v9", 5, true));
        var changed = ShopCatalog.SetStock(stored, "v1", 5, true)!;
        Assert.Equal((5, Availability.InStock), (changed.Variants[0].InventoryQuantity!.Value, changed.Variants[0].Availability!.Value));
    }
}
