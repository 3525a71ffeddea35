using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Connectors;

public sealed class ConnectorCatalogTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private const string Pink = "808950810";
    private const string Red = "49148385";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_Shopify_product_and_then_its_stock_change_show_in_the_catalog_with_the_variants()
    {
        var shop = await Shop.ConnectAsync(nudge, "shopify");
        var productId = Shop.NewNumericId();

        await shop.SendAsync("products/create", ShopifyProduct("products-create.json", productId));
        await shop.SettledDeliveriesAsync(1);
        await shop.SendAsync("inventory_levels/update", Shop.Payload("shopify/inventory_levels-update.json"));

        var deliveries = await shop.SettledDeliveriesAsync(2);
        Assert.All(deliveries, d => Assert.Equal("processed", (string?)d!["status"]));
        Assert.Equal(["1 product created", "1 product updated, stock of 1 variant changed"], deliveries.Select(d => (string?)d!["error"]).Reverse());
        using var admin = nudge.Admin();
        var product = (await admin.GetFromJsonAsync<JsonObject>($"/api/catalog/products/{productId}", Ct))!;
        Assert.Equal(("IPod Nano - 8GB", "Apple", "Cult Products"), ((string?)product["title"], (string?)product["brand"], (string?)product["productType"]));
        Assert.Equal($"https://{(string)shop.Connector["shopDomain"]!}/products/ipod-nano", (string?)product["url"]);
        Assert.Equal(["Emotive", "Flash Memory", "MP3", "Music"], product["tags"]!.AsArray().Select(t => (string?)t));
        var variants = product["variants"]!.AsArray().ToDictionary(v => (string)v!["id"]!, v => v!);
        Assert.Equal([Pink, Red], variants.Keys);
        Assert.Equal(("Pink", "IPOD2008PINK", 199.00m, 229.00m, 10),
            ((string?)variants[Pink]["title"], (string?)variants[Pink]["sku"], (decimal?)variants[Pink]["price"], (decimal?)variants[Pink]["compareAtPrice"],
             (int?)variants[Pink]["inventoryQuantity"]));
        // Red was sold out when the product came; the inventory level webhook brought 25 units.
        Assert.Equal((25, true), ((int?)variants[Red]["inventoryQuantity"], (bool?)variants[Red]["inStock"]));
        var stock = (await admin.GetFromJsonAsync<JsonArray>($"/api/catalog/products/{productId}/inventory-history", Ct))!;
        Assert.Equal([0, 25], stock.Where(s => (string?)s!["variantId"] == Red).Select(s => (int?)s!["quantity"]));
    }

    [Fact]
    public async Task A_lower_price_from_Shopify_lands_in_the_price_history_and_keeps_what_the_webhook_does_not_carry()
    {
        var shop = await Shop.ConnectAsync(nudge, "shopify");
        var productId = Shop.NewNumericId();
        using var admin = nudge.Admin();
        await shop.SendAsync("products/create", ShopifyProduct("products-create.json", productId));
        await shop.SettledDeliveriesAsync(1);
        // What only Nudge knows: the shop's currency (Shopify's product webhooks name none) and a review delay.
        var created = (await admin.GetFromJsonAsync<JsonObject>($"/api/catalog/products/{productId}", Ct))!;
        // inStock is worked out by Nudge: the API shows it but does not take it back.
        created.Remove("inStock");
        foreach (var variant in created["variants"]!.AsArray())
            variant!.AsObject().Remove("inStock");
        created["currency"] = "USD";
        created["marketing"] = new JsonObject { ["reviewDelayDays"] = 12 };
        var put = await admin.PutAsJsonAsync($"/api/catalog/products/{productId}", created, Ct);
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync(Ct));

        await shop.SendAsync("products/update", ShopifyProduct("products-update.json", productId));

        var deliveries = await shop.SettledDeliveriesAsync(2);
        Assert.Equal("1 product updated, price of 1 variant changed", (string?)deliveries[0]!["error"]);
        var history = (await admin.GetFromJsonAsync<JsonArray>($"/api/catalog/products/{productId}/price-history", Ct))!;
        var pink = history.Where(h => (string?)h!["variantId"] == Pink).ToList();
        Assert.Equal((179.00m, "USD"), ((decimal?)pink[^1]!["price"], (string?)pink[^1]!["currency"]));
        Assert.Equal(199.00m, (decimal?)pink[^2]!["price"]);
        Assert.DoesNotContain(history, h => (string?)h!["variantId"] == Red && (decimal?)h!["price"] != 199.00m);
        var product = (await admin.GetFromJsonAsync<JsonObject>($"/api/catalog/products/{productId}", Ct))!;
        Assert.Equal(("USD", 12), ((string?)product["currency"], (int?)product["marketing"]!["reviewDelayDays"]));
    }

    [Fact]
    public async Task A_WooCommerce_product_update_lands_in_the_catalog()
    {
        var shop = await Shop.ConnectAsync(nudge, "woocommerce");
        var productId = Shop.NewNumericId();

        await shop.SendAsync("product.updated", Shop.Payload("woocommerce/product-updated.json", ("\"id\": 93,", $"\"id\": {productId},")));

        var delivery = (await shop.SettledDeliveriesAsync(1)).Single()!;
        Assert.Equal(("processed", "1 product created"), ((string?)delivery["status"], (string?)delivery["error"]));
        using var admin = nudge.Admin();
        var product = (await admin.GetFromJsonAsync<JsonObject>($"/api/catalog/products/{productId}", Ct))!;
        Assert.Equal(("Woo Single #1", "WOO-SINGLE-1", "https://shop.example.de/product/woo-single-1/"),
            ((string?)product["title"], (string?)product["sku"], (string?)product["url"]));
        // On sale: 14.00 instead of 20.00, with 8 in stock.
        Assert.Equal((14.00m, 20.00m, 8, true),
            ((decimal?)product["price"], (decimal?)product["compareAtPrice"], (int?)product["inventoryQuantity"], (bool?)product["inStock"]));
        Assert.Equal(["Clothing", "T-shirts"], product["categories"]!.AsArray().Select(c => (string?)c));
    }

    [Fact]
    public async Task A_stock_change_of_an_inventory_item_Nudge_has_not_seen_is_noted_not_failed()
    {
        var shop = await Shop.ConnectAsync(nudge, "shopify");

        await shop.SendAsync("inventory_levels/update", Shop.Payload("shopify/inventory_levels-update.json", (Red, "1234567")));

        var delivery = (await shop.SettledDeliveriesAsync(1)).Single()!;
        Assert.Equal("processed", (string?)delivery["status"]);
        Assert.Contains("inventory item 1234567 left out", (string?)delivery["error"], StringComparison.Ordinal);
    }

    private static string ShopifyProduct(string file, string productId) => Shop.Payload("shopify/" + file, ("632910392", productId));
}
