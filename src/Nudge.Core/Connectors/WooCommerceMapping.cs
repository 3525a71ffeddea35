using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nudge.Core.Connectors;

/// <summary>
/// WooCommerce's webhook payloads (REST API v3 resources: order, customer, product). An order's webhook says what the
/// order is now, not what changed, so the events follow from its status and each one has the id of that status: an
/// order updated ten times while processing is one <c>Order Completed</c>.
/// </summary>
internal static class WooCommerceMapping
{
    public static ShopMapping Map(ShopMapper.Ids ids, string topic, JsonElement body) => topic switch
    {
        "order.created" or "order.updated" or "order.restored" => Order(ids, body),
        "customer.created" or "customer.updated" => Customer(ids, body),
        "product.created" or "product.updated" or "product.restored" => new ShopMapping(true, [], Product(body)),
        _ => ShopMapping.Unknown(topic),
    };

    private static ShopMapping Order(ShopMapper.Ids ids, JsonElement order)
    {
        if (order.Id("id") is not { } orderId)
            return ShopMapping.Of([], "the order has no id");
        var who = Person(order.Id("customer_id"), order.Get("billing"), null);
        if (!who.IsKnown)
            return ShopMapping.Of([], "the order names no customer id, email or phone");

        var status = order.Text("status") ?? "";
        var created = Gmt(order, "date_created") ?? DateTimeOffset.UnixEpoch;
        var modified = Gmt(order, "date_modified") ?? created;
        var properties = OrderProperties(order, orderId);
        var events = new List<ShopEvent>();
        void Add(string name, string what, DateTimeOffset at, JsonObject? props = null) =>
            events.Add(new ShopEvent(ids.Of("order", orderId, what), name, at, who, props ?? properties.DeepClone().AsObject()));

        switch (status)
        {
            case "pending":
            case "checkout-draft":
                Add("Checkout Started", "started", created, CheckoutProperties(properties));
                break;
            case "processing":
            case "on-hold":
            case "completed":
            case "refunded":
                Add("Order Completed", "completed", created);
                break;
            case "cancelled":
                Add("Order Cancelled", "cancelled", modified);
                break;
            default:
                break;
        }
        if (Gmt(order, "date_paid") is { } paid && status is not ("pending" or "failed" or "cancelled"))
            Add("Order Paid", "paid", paid);
        if (status == "completed")
            Add("Order Fulfilled", "fulfilled", Gmt(order, "date_completed") ?? modified);

        // Each refund of the order is its own event, by the refund's id; a refunded order without refund records is one full refund.
        var refunds = order.Items("refunds").ToList();
        foreach (var refund in refunds)
        {
            if (refund.Id("id") is not { } refundId)
                continue;
            var amount = refund.Decimal("total") is { } total ? Math.Abs(total) : (decimal?)null;
            var refundProperties = new JsonObject()
                .Put("order_id", orderId).Put("refund_id", refundId).Put("total", amount)
                .Put("currency", ShopJson.Currency(order.Text("currency"))).Put("reason", refund.Text("reason"));
            events.Add(new ShopEvent(ids.Of("refund", refundId, "created"), "Order Refunded", modified, who, refundProperties));
        }
        if (status == "refunded" && refunds.Count == 0)
        {
            Add("Order Refunded", "refunded", modified,
                new JsonObject().Put("order_id", orderId).Put("currency", ShopJson.Currency(order.Text("currency"))));
        }

        return ShopMapping.Of(events, events.Count == 0 ? $"an order in status '{status}' is not an event" : null);
    }

    private static JsonObject OrderProperties(JsonElement order, string orderId)
    {
        var products = new JsonArray(order.Items("line_items").Select(i => (JsonNode)new JsonObject()
            .Put("product_id", i.Id("product_id"))
            .Put("variant_id", i.Id("variation_id"))
            .Put("sku", i.Text("sku"))
            .Put("name", i.Text("name"))
            .Put("price", i.Decimal("price"))
            .Put("quantity", i.Whole("quantity"))
            .Put("image_url", i.Text("image", "src"))).ToArray());
        return new JsonObject()
            .Put("order_id", orderId)
            .Put("order_number", order.Text("number"))
            .Put("affiliation", order.Text("created_via"))
            .Put("revenue", order.Decimal("total"))
            .Put("total", order.Decimal("total"))
            .Put("subtotal", Subtotal(order))
            .Put("tax", order.Decimal("total_tax"))
            .Put("shipping", order.Decimal("shipping_total"))
            .Put("discount", order.Decimal("discount_total"))
            .Put("coupon", order.Items("coupon_lines").Select(c => c.Text("code")).FirstOrDefault(c => c is not null))
            .Put("currency", ShopJson.Currency(order.Text("currency")))
            .Put("payment_method", order.Text("payment_method"))
            .Put("products", products);
    }

    private static JsonObject CheckoutProperties(JsonObject order)
    {
        var checkout = order.DeepClone().AsObject();
        checkout["checkout_id"] = checkout["order_id"]?.DeepClone();
        return checkout;
    }

    /// <summary>The line totals after discounts, before shipping and tax.</summary>
    private static decimal? Subtotal(JsonElement order)
    {
        decimal? sum = null;
        foreach (var line in order.Items("line_items"))
        {
            if (line.Decimal("total") is { } total)
                sum = (sum ?? 0m) + total;
        }
        return sum;
    }

    private static ShopMapping Customer(ShopMapper.Ids ids, JsonElement customer)
    {
        if (customer.Id("id") is not { } customerId)
            return ShopMapping.Of([], "the customer has no id");
        var who = Person(customerId, customer.Get("billing"), customer);
        who.Traits.Put("username", customer.Text("username")).Put("created_at", customer.Text("date_created_gmt"));
        if (customer.Bool("is_paying_customer") is { } paying)
            who.Traits["is_paying_customer"] = paying;
        var at = Gmt(customer, "date_modified") ?? Gmt(customer, "date_created") ?? DateTimeOffset.UnixEpoch;
        return ShopMapping.Of([new ShopEvent(ids.Of("customer", customerId, ShopJson.Stamp(at)), null, at, who, [])]);
    }

    private static List<ShopProduct> Product(JsonElement product)
    {
        if (product.Id("id") is not { } productId)
            return [];
        var managed = product.Bool("manage_stock") == true;
        var quantity = managed ? product.Whole("stock_quantity") : null;
        var status = product.Text("stock_status");
        var published = product.Text("status") is null or "publish";
        return
        [
            new ShopProduct(
                productId, null, product.Text("sku"), product.Text("name"), product.Text("permalink"),
                product.Items("images").Select(i => i.Text("src")).FirstOrDefault(s => s is not null),
                product.Decimal("price"),
                product.Decimal("regular_price") is { } regular && product.Decimal("price") is { } price && regular > price ? regular : null,
                null,
                product.Items("categories").Select(c => c.Text("name")).OfType<string>().ToList(),
                product.Items("brands").Select(b => b.Text("name")).FirstOrDefault(b => b is not null),
                product.Text("type"),
                product.Items("tags").Select(t => t.Text("name")).OfType<string>().ToList(),
                quantity,
                published && status is not "outofstock",
                null,
                Gmt(product, "date_modified") ?? Gmt(product, "date_created")),
        ];
    }

    /// <summary>The buyer: the customer id (0 is a guest), the billing email and phone, names and address.</summary>
    private static ShopCustomer Person(string? customerId, JsonElement billing, JsonElement? customer)
    {
        var traits = new JsonObject()
            .Put("first_name", customer?.Text("first_name") ?? billing.Text("first_name"))
            .Put("last_name", customer?.Text("last_name") ?? billing.Text("last_name"));
        if (billing.ValueKind == JsonValueKind.Object)
        {
            traits.Put("address", new JsonObject()
                .Put("street", billing.Text("address_1"))
                .Put("city", billing.Text("city"))
                .Put("postal_code", billing.Text("postcode"))
                .Put("country", billing.Text("country"))
                .Put("state", billing.Text("state")));
        }
        return new ShopCustomer(customerId, customer?.Text("email") ?? billing.Text("email"), billing.Text("phone"), traits);
    }

    /// <summary>WooCommerce gives each time twice: in the shop's time zone without an offset, and in UTC as <c>_gmt</c>.</summary>
    private static DateTimeOffset? Gmt(JsonElement element, string field) => element.Time(field + "_gmt");
}
