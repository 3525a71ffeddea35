using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Connectors;

public sealed class ShopifyConnectorTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_order_from_Shopify_shows_on_the_customers_timeline_as_Order_Completed_with_its_revenue()
    {
        var shop = await Shop.ConnectAsync(nudge, "shopify");
        var (email, customerId) = NewCustomer();

        var response = await shop.SendAsync("orders/create", Order("orders-create.json", email, customerId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = await nudge.WaitForProfileAsync(email, p => (int?)p["computed"]!["orderCount"] == 1);
        Assert.Equal(233.50m, (decimal?)profile["computed"]!["totalRevenue"]);
        Assert.Contains(profile["identities"]!.AsArray(), i => (string?)i!["kind"] == "userId" && (string?)i["value"] == customerId);
        var order = (await nudge.TimelineAsync((string)profile["id"]!)).Single(e => (string?)e!["name"] == "Order Completed")!;
        var properties = order["message"]!["properties"]!;
        Assert.Equal(("820982911946154508", 233.50m, "USD", "SPRING10"),
            ((string?)properties["order_id"], (decimal?)properties["revenue"], (string?)properties["currency"], (string?)properties["coupon"]));
        Assert.Equal(["IPOD2008PINK", "CASE-BLK"], properties["products"]!.AsArray().Select(p => (string?)p!["sku"]));
        // The shop's own time, not the time of arrival.
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 15, 15, 0, TimeSpan.Zero), (DateTimeOffset)order["timestamp"]!);
        Assert.Equal("server", (string?)order["source"]);
    }

    [Fact]
    public async Task A_webhook_Shopify_sends_again_creates_nothing_twice()
    {
        var shop = await Shop.ConnectAsync(nudge, "shopify");
        var (email, customerId) = NewCustomer();
        var body = Order("orders-create.json", email, customerId);

        var first = await (await shop.SendAsync("orders/create", body, deliveryId: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")).Content.ReadFromJsonAsync<JsonObject>(Ct);
        var again = await (await shop.SendAsync("orders/create", body, deliveryId: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")).Content.ReadFromJsonAsync<JsonObject>(Ct);
        // The same order from a second webhook subscription: a new delivery, but the same events.
        await shop.SendAsync("orders/create", body, deliveryId: "0b1c2d3e-0000-4b37-8a5f-bf7d70bcd043");
        await shop.SendAsync("customers/update", Customer("customers-update.json", email, customerId));

        Assert.Equal((false, true), ((bool?)first!["duplicate"], (bool?)again!["duplicate"]));
        Assert.Equal((string?)first["deliveryId"], (string?)again["deliveryId"]);
        var deliveries = await shop.SettledDeliveriesAsync(3);
        Assert.Equal(3, deliveries.Count);
        Assert.Equal([1, 0, 1], deliveries.Select(d => (int)d!["events"]!).Reverse());
        var profile = await nudge.WaitForProfileAsync(email, p => p["traits"]?["first_name"] is not null);
        var timeline = await nudge.TimelineAsync((string)profile["id"]!);
        Assert.Single(timeline, e => (string?)e!["name"] == "Order Completed");
        Assert.Equal(1, (int?)profile["computed"]!["orderCount"]);
    }

    [Fact]
    public async Task A_bad_signature_is_refused_with_401_and_stores_nothing()
    {
        var shop = await Shop.ConnectAsync(nudge, "shopify");
        var (email, customerId) = NewCustomer();
        var body = Order("orders-create.json", email, customerId);

        var forged = await shop.SendAsync("orders/create", body, signWith: "not-the-secret");
        var tampered = await shop.SendAsync("orders/create", body.Replace("233.50", "0.01", StringComparison.Ordinal), signWith: null);

        Assert.Equal(HttpStatusCode.OK, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        var problem = await forged.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Contains("X-Shopify-Hmac-Sha256", (string?)problem!["detail"], StringComparison.Ordinal);
        using var admin = nudge.Admin();
        // Only the correctly signed one was stored.
        Assert.Single((await admin.GetFromJsonAsync<JsonArray>($"/api/connectors/{shop.Id}/deliveries", Ct))!);
    }

    [Fact]
    public async Task A_webhook_without_any_signature_is_refused()
    {
        var shop = await Shop.ConnectAsync(nudge, "shopify");
        using var client = nudge.CreateClient();

        var response = await client.PostAsync(shop.WebhookPath, new StringContent("{\"id\":1}"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var admin = nudge.Admin();
        Assert.Empty((await admin.GetFromJsonAsync<JsonArray>($"/api/connectors/{shop.Id}/deliveries", Ct))!);
    }

    [Fact]
    public async Task An_unknown_topic_is_accepted_and_marked_ignored()
    {
        var shop = await Shop.ConnectAsync(nudge, "shopify");

        var response = await shop.SendAsync("carts/create", """{"id":"eeafa272cebfd4b22385bc4b645e762c","token":"eeafa272cebfd4b22385bc4b645e762c","line_items":[]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivery = (await shop.SettledDeliveriesAsync(1)).Single()!;
        Assert.Equal(("carts/create", "ignored", 0), ((string?)delivery["topic"], (string?)delivery["status"], (int?)delivery["events"]));
        Assert.Contains("not mapped", (string?)delivery["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_Shopify_topic_is_processed_into_its_events()
    {
        var shop = await Shop.ConnectAsync(nudge, "shopify");
        var (email, customerId) = NewCustomer();
        string[] topics =
        [
            "customers/create", "checkouts/create", "checkouts/update", "orders/create", "orders/paid", "orders/fulfilled", "refunds/create",
            "orders/cancelled", "customers/update", "products/create", "products/update", "inventory_levels/update",
        ];

        foreach (var topic in topics)
        {
            var file = "shopify/" + topic.Replace('/', '-') + ".json";
            var response = await shop.SendAsync(topic, Shop.Payload(file, ("jon@example.com", email), ("115310627314723954", customerId)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var deliveries = await shop.SettledDeliveriesAsync(topics.Length);
        var byTopic = deliveries.ToDictionary(d => (string)d!["topic"]!, d => d!);
        Assert.All(byTopic.Values, d => Assert.Equal("processed", (string?)d["status"]));
        // A checkout created without an email cannot be attached to anyone; its update with the email can.
        Assert.Equal(
            [1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0],
            topics.Select(t => (int)byTopic[t]["events"]!));
        // The order was cancelled in the end, so it no longer counts; the timeline keeps everything that happened.
        var profile = await nudge.WaitForProfileAsync(email, p => p["traits"]?["first_name"] is not null);
        var timeline = await Eventually.ReadUntilAsync(
            _ => nudge.TimelineAsync((string)profile["id"]!), t => t.Count(e => (string?)e!["type"] == "track") >= 6, Ct);
        Assert.Equal(
            ["Checkout Started", "Order Cancelled", "Order Completed", "Order Fulfilled", "Order Paid", "Order Refunded"],
            timeline.Where(e => (string?)e!["type"] == "track").Select(e => (string)e!["name"]!).Order(StringComparer.Ordinal));
        var refund = timeline.Single(e => (string?)e!["name"] == "Order Refunded")!["message"]!["properties"]!;
        Assert.Equal(("820982911946154508", 13.00m), ((string?)refund["order_id"], (decimal?)refund["total"]));
        var checkout = timeline.Single(e => (string?)e!["name"] == "Checkout Started")!["message"]!["properties"]!;
        Assert.StartsWith("https://nudge-demo.myshopify.com/", (string?)checkout["checkout_url"], StringComparison.Ordinal);
        Assert.Equal("901414060", (string?)checkout["checkout_id"]);
    }

    [Fact]
    public async Task A_Shopify_customer_joins_the_profile_their_browser_events_made()
    {
        var shop = await Shop.ConnectAsync(nudge, "shopify");
        var (email, customerId) = NewCustomer();
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(userId: customerId, traits: new JsonObject { ["plan"] = "gold" }));

        await shop.SendAsync("customers/create", Customer("customers-create.json", email, customerId));

        var profile = await nudge.WaitForProfileAsync(email, p => p["traits"]?["plan"] is not null);
        Assert.Equal(("gold", "Jon", "subscribed"),
            ((string?)profile["traits"]!["plan"], (string?)profile["traits"]!["first_name"], (string?)profile["traits"]!["email_marketing"]));
    }

    private static (string Email, string CustomerId) NewCustomer() => ($"jon-{Guid.NewGuid():N}@example.com", Shop.NewNumericId());

    private static string Order(string file, string email, string customerId) =>
        Shop.Payload("shopify/" + file, ("jon@example.com", email), ("115310627314723954", customerId));

    private static string Customer(string file, string email, string customerId) => Order(file, email, customerId);
}
