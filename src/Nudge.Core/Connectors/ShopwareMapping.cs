using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nudge.Core.Connectors;

/// <summary>
/// Shopware 6 app webhooks: <c>{"data": {"event": ..., "payload": ...}, "source": {..., "eventId"}, "timestamp"}</c>.
/// Business events (<c>checkout.order.placed</c>, the order state machine's <c>state_enter.*</c>, <c>checkout.customer.register</c>)
/// carry the entity; <c>*.written</c> events carry only ids.
/// </summary>
internal static class ShopwareMapping
{
    public static ShopMapping Map(ShopMapper.Ids ids, string topic, JsonElement body)
    {
        var payload = body.Get("data", "payload");
        var sent = body.Time("timestamp");
        return topic switch
        {
            "checkout.order.placed" => Order(ids, payload.Get("order"), "Order Completed", "completed", null),
            "state_enter.order.state.cancelled" => Order(ids, payload.Get("order"), "Order Cancelled", "cancelled", sent),
            "state_enter.order_transaction.state.paid" => Order(ids, payload.Get("order"), "Order Paid", "paid", sent),
            "state_enter.order_transaction.state.refunded" => Order(ids, payload.Get("order"), "Order Refunded", "refunded", sent),
            "state_enter.order_delivery.state.shipped" => Order(ids, payload.Get("order"), "Order Fulfilled", "fulfilled", sent),
            "checkout.customer.register" => Customer(ids, payload.Get("customer")),
            "customer.written" => Written(ids, payload, sent),
            "product.written" => ShopMapping.Of([],
                "Shopware sends only the ids of written products; the catalog learns their data from the catalog API or a feed import"),
            _ => ShopMapping.Unknown(topic),
        };
    }

    private static ShopMapping Order(ShopMapper.Ids ids, JsonElement order, string name, string what, DateTimeOffset? at)
    {
        if (order.Id("id") is not { } orderId)
            return ShopMapping.Of([], "the payload has no order");
        var customer = order.Get("orderCustomer");
        var address = order.Get("billingAddress");
        var traits = new JsonObject()
            .Put("first_name", customer.Text("firstName"))
            .Put("last_name", customer.Text("lastName"))
            .Put("customer_number", customer.Text("customerNumber"));
        if (address.ValueKind == JsonValueKind.Object)
        {
            traits.Put("address", new JsonObject()
                .Put("street", address.Text("street"))
                .Put("city", address.Text("city"))
                .Put("postal_code", address.Text("zipcode"))
                .Put("country", address.Text("country", "iso")));
        }
        var who = new ShopCustomer(customer.Id("customerId"), customer.Text("email"), address.Text("phoneNumber"), traits);

        var lineItems = order.Items("lineItems").ToList();
        var products = new JsonArray(lineItems.Where(l => l.Text("type") is null or "product").Select(l => (JsonNode)new JsonObject()
            .Put("product_id", l.Id("productId") ?? l.Id("referencedId"))
            .Put("sku", l.Text("payload", "productNumber"))
            .Put("name", l.Text("label"))
            .Put("price", l.Decimal("unitPrice"))
            .Put("quantity", l.Whole("quantity"))).ToArray());
        var coupon = lineItems.Where(l => l.Text("type") == "promotion").Select(l => l.Text("payload", "code") ?? l.Text("referencedId")).FirstOrDefault(c => c is not null);
        var discount = lineItems.Where(l => l.Text("type") == "promotion").Select(l => l.Decimal("totalPrice")).Where(d => d is not null).Sum(d => -d!.Value);
        var total = order.Decimal("amountTotal") ?? order.Decimal("price", "totalPrice");
        var net = order.Decimal("amountNet") ?? order.Decimal("price", "netPrice");
        var properties = new JsonObject()
            .Put("order_id", orderId)
            .Put("order_number", order.Text("orderNumber"))
            .Put("revenue", total)
            .Put("total", total)
            .Put("subtotal", order.Decimal("positionPrice") ?? order.Decimal("price", "positionPrice"))
            .Put("tax", total is { } t && net is { } n ? t - n : null)
            .Put("shipping", order.Decimal("shippingTotal") ?? order.Decimal("shippingCosts", "totalPrice"))
            .Put("discount", discount > 0 ? discount : null)
            .Put("coupon", coupon)
            .Put("currency", ShopJson.Currency(order.Text("currency", "isoCode")))
            .Put("products", products);
        var when = at ?? order.Time("orderDateTime") ?? order.Time("createdAt") ?? DateTimeOffset.UnixEpoch;
        return ShopMapping.Of([new ShopEvent(ids.Of("order", orderId, what), name, when, who, properties)]);
    }

    private static ShopMapping Customer(ShopMapper.Ids ids, JsonElement customer)
    {
        if (customer.Id("id") is not { } customerId)
            return ShopMapping.Of([], "the payload has no customer");
        var address = customer.Get("defaultBillingAddress");
        var traits = new JsonObject()
            .Put("first_name", customer.Text("firstName"))
            .Put("last_name", customer.Text("lastName"))
            .Put("customer_number", customer.Text("customerNumber"))
            .Put("birthday", customer.Text("birthday"))
            .Put("created_at", customer.Text("createdAt"));
        if (address.ValueKind == JsonValueKind.Object)
            traits.Put("address", new JsonObject().Put("city", address.Text("city")).Put("postal_code", address.Text("zipcode")).Put("country", address.Text("country", "iso")));
        var who = new ShopCustomer(customerId, customer.Text("email"), address.Text("phoneNumber"), traits);
        var at = customer.Time("updatedAt") ?? customer.Time("createdAt") ?? DateTimeOffset.UnixEpoch;
        return ShopMapping.Of([new ShopEvent(ids.Of("customer", customerId, ShopJson.Stamp(at)), null, at, who, [])]);
    }

    /// <summary><c>customer.written</c>: ids only. Each inserted or updated customer gets an identify with its id, so its profile exists.</summary>
    private static ShopMapping Written(ShopMapper.Ids ids, JsonElement payload, DateTimeOffset? sent)
    {
        var at = sent ?? DateTimeOffset.UnixEpoch;
        var events = payload.Items()
            .Where(w => w.Text("entity") == "customer" && w.Text("operation") is "insert" or "update" or "upsert")
            .Select(w => w.Id("primaryKey"))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Select(id => new ShopEvent(ids.Of("customer", id, ShopJson.Stamp(at)), null, at, new ShopCustomer(id, null, null, []), []))
            .ToList();
        return ShopMapping.Of(events, events.Count == 0 ? "no inserted or updated customer in the payload" : null);
    }
}
