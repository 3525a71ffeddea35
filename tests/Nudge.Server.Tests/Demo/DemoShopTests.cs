using System.Globalization;
using System.Text.Json.Nodes;
using Nudge.Server.Demo;

namespace Nudge.Server.Tests.Demo;

public sealed class DemoShopTests
{
    private const int Customers = 300;

    private static readonly DateTimeOffset _now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Lazy<DemoShop> _shop = new(() => DemoShop.Generate(seed: 42, _now, customers: Customers));
    private static readonly Lazy<IReadOnlyList<JsonObject>> _messages = new(() => [.. _shop.Value.Messages()]);

    private static readonly HashSet<string> _types = ["identify", "track", "page", "screen", "group", "alias"];

    [Fact]
    public void Same_seed_gives_the_same_messages()
    {
        var first = DemoShop.Generate(seed: 7, _now, customers: 100);
        var second = DemoShop.Generate(seed: 7, _now, customers: 100);

        Assert.Equal(first.Products, second.Products);
        Assert.Equal(first.Customers, second.Customers);
        var firstMessages = first.Messages().Select(m => m.ToJsonString()).ToList();
        Assert.Equal(firstMessages, second.Messages().Select(m => m.ToJsonString()));
        Assert.Equal(firstMessages, first.Messages().Select(m => m.ToJsonString()));
    }

    [Fact]
    public void A_different_seed_gives_a_different_shop()
    {
        var other = DemoShop.Generate(seed: 43, _now, customers: Customers);

        Assert.NotEqual(_shop.Value.Customers, other.Customers);
        Assert.NotEqual(MessageIds(_messages.Value).Take(100), MessageIds(other.Messages()).Take(100));
    }

    [Fact]
    public void Messages_are_in_time_order_within_six_months()
    {
        var previous = DateTimeOffset.MinValue;
        foreach (var message in _messages.Value)
        {
            var timestamp = Timestamp(message);
            Assert.True(timestamp >= previous, $"{timestamp:o} comes after {previous:o}");
            Assert.InRange(timestamp, _now.AddMonths(-6), _now);
            previous = timestamp;
        }

        Assert.InRange(_messages.Value.Count, 5_000, 20_000);
    }

    [Fact]
    public void Every_message_is_a_valid_segment_message()
    {
        var messageIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in _messages.Value)
        {
            var type = (string?)message["type"];
            Assert.Contains(type!, _types);
            Assert.True(messageIds.Add((string)message["messageId"]!), $"duplicate messageId {message["messageId"]}");
            Assert.True(Guid.TryParse((string?)message["messageId"], out _));
            Assert.False(
                string.IsNullOrEmpty((string?)message["userId"]) && string.IsNullOrEmpty((string?)message["anonymousId"]),
                $"no userId or anonymousId: {message.ToJsonString()}");
            _ = Timestamp(message);
            Assert.False(string.IsNullOrEmpty((string?)message["context"]?["timezone"]));
            switch (type)
            {
                case "track":
                    Assert.False(string.IsNullOrEmpty((string?)message["event"]));
                    Assert.IsType<JsonObject>(message["properties"]);
                    break;
                case "page":
                    Assert.False(string.IsNullOrEmpty((string?)message["name"]));
                    Assert.StartsWith("https://demo-shop.example/", (string?)message["properties"]?["url"], StringComparison.Ordinal);
                    break;
                case "identify":
                    Assert.False(string.IsNullOrEmpty((string?)message["userId"]));
                    Assert.EndsWith("@example.com", (string?)message["traits"]?["email"], StringComparison.Ordinal);
                    break;
            }
        }
    }

    [Fact]
    public void Orders_reference_catalog_products()
    {
        var catalog = _shop.Value.Products.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var orderIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var order in Track(_messages.Value, "Order Completed"))
        {
            Assert.False(string.IsNullOrEmpty((string?)order["userId"]));
            var properties = order["properties"]!.AsObject();
            Assert.True(orderIds.Add((string)properties["order_id"]!));
            Assert.Equal("EUR", (string?)properties["currency"]);
            var products = properties["products"]!.AsArray();
            Assert.NotEmpty(products);
            var subtotal = 0m;
            foreach (var line in products)
            {
                var product = catalog[(string)line!["product_id"]!];
                Assert.Equal(product.Sku, (string?)line["sku"]);
                Assert.Equal(product.Name, (string?)line["name"]);
                Assert.Equal(product.Category, (string?)line["category"]);
                Assert.Equal(product.Price, (decimal)line["price"]!);
                var quantity = (int)line["quantity"]!;
                Assert.InRange(quantity, 1, 10);
                subtotal += product.Price * quantity;
            }

            var revenue = (decimal)properties["revenue"]!;
            Assert.Equal(subtotal - (decimal)properties["discount"]!, revenue);
            Assert.Equal(revenue + (decimal)properties["shipping"]! + (decimal)properties["tax"]!, (decimal)properties["total"]!);
        }

        Assert.NotEmpty(orderIds);
        foreach (var after in Track(_messages.Value, "Order Refunded").Concat(Track(_messages.Value, "Order Cancelled")))
        {
            Assert.Contains((string)after["properties"]!["order_id"]!, orderIds);
        }
    }

    [Fact]
    public void Some_customers_order_repeatedly_and_some_only_browse()
    {
        var ordersByCustomer = Track(_messages.Value, "Order Completed")
            .GroupBy(m => (string)m["userId"]!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var viewers = UsersWith(_messages.Value, "Product Viewed");
        var cartAbandoners = UsersWith(_messages.Value, "Product Added").Where(u => !ordersByCustomer.ContainsKey(u)).ToList();

        var repeatBuyers = ordersByCustomer.Count(pair => pair.Value >= 2);
        Assert.InRange(repeatBuyers, Customers * 15 / 100, Customers * 35 / 100);
        Assert.Contains(ordersByCustomer.Values, count => count >= 5);
        Assert.InRange(viewers.Count(u => !ordersByCustomer.ContainsKey(u)), Customers / 5, Customers / 2);
        Assert.NotEmpty(cartAbandoners);

        // Win-back needs buyers who have not ordered for months; replenishment needs recent ones.
        var lastOrders = Track(_messages.Value, "Order Completed")
            .GroupBy(m => (string)m["userId"]!, StringComparer.Ordinal)
            .Select(g => _now - Timestamp(g.Last()))
            .ToList();
        Assert.Contains(lastOrders, age => age > TimeSpan.FromDays(90));
        Assert.Contains(lastOrders, age => age < TimeSpan.FromDays(30));
    }

    private static IEnumerable<JsonObject> Track(IEnumerable<JsonObject> messages, string @event) =>
        messages.Where(m => (string?)m["type"] == "track" && (string?)m["event"] == @event);

    private static HashSet<string> UsersWith(IEnumerable<JsonObject> messages, string @event) =>
        Track(messages, @event).Select(m => (string?)m["userId"]).OfType<string>().ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> MessageIds(IEnumerable<JsonObject> messages) =>
        messages.Select(m => (string)m["messageId"]!);

    private static DateTimeOffset Timestamp(JsonObject message) =>
        DateTimeOffset.ParseExact((string)message["timestamp"]!, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
