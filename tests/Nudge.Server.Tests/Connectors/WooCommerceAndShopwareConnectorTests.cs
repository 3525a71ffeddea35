using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Connectors;

public sealed class WooCommerceAndShopwareConnectorTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_WooCommerce_order_becomes_Order_Completed_then_Paid_Fulfilled_and_Refunded_as_it_moves_on()
    {
        var shop = await Shop.ConnectAsync(nudge, "woocommerce");
        var email = $"anna-{Guid.NewGuid():N}@example.de";
        var customerId = Shop.NewNumericId();
        (string, string)[] mine = [("anna.schmidt@example.de", email), ("\"customer_id\": 26", $"\"customer_id\": {customerId}"), ("\"id\": 26,", $"\"id\": {customerId},")];

        await shop.SendAsync("customer.created", Shop.Payload("woocommerce/customer-created.json", mine));
        await shop.SendAsync("order.created", Shop.Payload("woocommerce/order-created.json", mine));
        await shop.SendAsync("order.updated", Shop.Payload("woocommerce/order-updated.json", mine));
        // WooCommerce sends the whole order on every change: the same state again adds nothing.
        await shop.SendAsync("order.updated", Shop.Payload("woocommerce/order-updated.json", mine));
        await shop.SendAsync("product.updated", Shop.Payload("woocommerce/product-updated.json"));

        var deliveries = await shop.SettledDeliveriesAsync(5);
        Assert.All(deliveries, d => Assert.Equal("processed", (string?)d!["status"]));
        Assert.Equal([1, 2, 2, 0, 0], deliveries.Select(d => (int)d!["events"]!).Reverse());
        var profile = await nudge.WaitForProfileAsync(email, p => (int?)p["computed"]!["orderCount"] == 1);
        Assert.Contains(profile["identities"]!.AsArray(), i => (string?)i!["kind"] == "userId" && (string?)i["value"] == customerId);
        var timeline = await Eventually.ReadUntilAsync(
            _ => nudge.TimelineAsync((string)profile["id"]!), t => t.Count(e => (string?)e!["type"] == "track") >= 4, Ct);
        var tracks = timeline.Where(e => (string?)e!["type"] == "track").ToDictionary(e => (string)e!["name"]!, e => e!["message"]!["properties"]!);
        Assert.Equal(["Order Completed", "Order Fulfilled", "Order Paid", "Order Refunded"], tracks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("727", 63.70m, "EUR", "welcome5"),
            ((string?)tracks["Order Completed"]["order_id"], (decimal?)tracks["Order Completed"]["revenue"],
             (string?)tracks["Order Completed"]["currency"], (string?)tracks["Order Completed"]["coupon"]));
        Assert.Equal(14.71m, (decimal?)tracks["Order Refunded"]["total"]);
        // WooCommerce's _gmt times are UTC.
        var completed = timeline.Single(e => (string?)e!["name"] == "Order Completed")!;
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 14, 10, 2, TimeSpan.Zero), (DateTimeOffset)completed["timestamp"]!);
    }

    [Fact]
    public async Task WooCommerces_unsigned_ping_when_a_webhook_is_saved_is_answered_and_not_stored()
    {
        var shop = await Shop.ConnectAsync(nudge, "woocommerce");
        using var client = nudge.CreateClient();

        var response = await client.PostAsync(shop.WebhookPath, new FormUrlEncodedContent([new("webhook_id", "12")]), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var admin = nudge.Admin();
        Assert.Empty((await admin.GetFromJsonAsync<JsonArray>($"/api/connectors/{shop.Id}/deliveries", Ct))!);
    }

    [Fact]
    public async Task A_Shopware_order_signed_in_hex_becomes_Order_Completed_and_its_payment_Order_Paid()
    {
        var shop = await Shop.ConnectAsync(nudge, "shopware");
        var email = $"lukas-{Guid.NewGuid():N}@example.ch";
        var customerId = Guid.NewGuid().ToString("N");
        (string, string)[] mine = [("lukas.meier@example.ch", email), ("0190e2b9d1c2741a9a8e0f2b3c4d5e6f", customerId)];

        await shop.SendAsync("", Shop.Payload("shopware/checkout-customer-register.json", mine));
        var placed = await shop.SendAsync("", Shop.Payload("shopware/checkout-order-placed.json", mine));
        var retried = await shop.SendAsync("", Shop.Payload("shopware/checkout-order-placed.json", mine));
        await shop.SendAsync("", Shop.Payload("shopware/state-enter-order-transaction-state-paid.json", mine));
        await shop.SendAsync("", Shop.Payload("shopware/customer-written.json", mine));
        await shop.SendAsync("", Shop.Payload("shopware/product-written.json", mine));

        // Shopware's retry has the same source.eventId: the same delivery.
        Assert.Equal(false, (bool?)(await placed.Content.ReadFromJsonAsync<JsonObject>(Ct))!["duplicate"]);
        Assert.Equal(true, (bool?)(await retried.Content.ReadFromJsonAsync<JsonObject>(Ct))!["duplicate"]);
        var deliveries = await shop.SettledDeliveriesAsync(5);
        Assert.Equal(
            [("checkout.customer.register", 1), ("checkout.order.placed", 1), ("state_enter.order_transaction.state.paid", 1), ("customer.written", 1), ("product.written", 0)],
            deliveries.Reverse().Select(d => ((string)d!["topic"]!, (int)d["events"]!)));
        Assert.All(deliveries, d => Assert.Equal("processed", (string?)d!["status"]));
        var profile = await nudge.WaitForProfileAsync(email, p => (int?)p["computed"]!["orderCount"] == 1);
        Assert.Equal(89.90m, (decimal?)profile["computed"]!["totalRevenue"]);
        var timeline = await Eventually.ReadUntilAsync(
            _ => nudge.TimelineAsync((string)profile["id"]!), t => t.Count(e => (string?)e!["type"] == "track") >= 2, Ct);
        var order = timeline.Single(e => (string?)e!["name"] == "Order Completed")!["message"]!["properties"]!;
        Assert.Equal(("10042", "CHF", "SPRING5", 5.0m),
            ((string?)order["order_number"], (string?)order["currency"], (string?)order["coupon"], (decimal?)order["discount"]));
        Assert.Equal(["SW10023", "SW10031"], order["products"]!.AsArray().Select(p => (string?)p!["sku"]));
        Assert.Single(timeline, e => (string?)e!["name"] == "Order Paid");
    }

    [Fact]
    public async Task A_Shopware_webhook_signed_with_another_secret_is_refused()
    {
        var shop = await Shop.ConnectAsync(nudge, "shopware");

        var response = await shop.SendAsync("", Shop.Payload("shopware/checkout-order-placed.json"), signWith: "another-shop-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var admin = nudge.Admin();
        Assert.Empty((await admin.GetFromJsonAsync<JsonArray>($"/api/connectors/{shop.Id}/deliveries", Ct))!);
    }

    [Fact]
    public async Task A_signed_body_that_is_not_JSON_is_kept_and_marked_failed_with_the_reason()
    {
        var shop = await Shop.ConnectAsync(nudge, "woocommerce");

        var response = await shop.SendAsync("order.created", "<order id=\"1\"/>");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivery = (await shop.SettledDeliveriesAsync(1)).Single()!;
        Assert.Equal("failed", (string?)delivery["status"]);
        Assert.StartsWith("the body is not JSON", (string?)delivery["error"], StringComparison.Ordinal);
    }
}
