using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nudge.Core.Connectors;

/// <summary>Shopify's webhook payloads (REST resources: order, refund, checkout, customer, product, inventory level).</summary>
internal static class ShopifyMapping
{
    public static ShopMapping Map(ShopMapper.Ids ids, string topic, JsonElement body) => topic switch
    {
        "orders/create" => Order(ids, body, "Order Completed", "completed", body.Time("processed_at") ?? body.Time("created_at")),
        "orders/paid" => Order(ids, body, "Order Paid", "paid", body.Time("updated_at")),
        "orders/fulfilled" => Order(ids, body, "Order Fulfilled", "fulfilled",
            body.Items("fulfillments").Select(f => f.Time("created_at")).Max() ?? body.Time("updated_at")),
        "orders/cancelled" => Order(ids, body, "Order Cancelled", "cancelled", body.Time("cancelled_at") ?? body.Time("updated_at")),
        "refunds/create" => Refund(ids, body),
        "checkouts/create" or "checkouts/update" => Checkout(ids, body),
        "customers/create" or "customers/update" => Customer(ids, body),
        "products/create" or "products/update" => new ShopMapping(true, [], Products(body)),
        "inventory_levels/update" => new ShopMapping(true, [], InventoryLevel(body)),
        _ => ShopMapping.Unknown(topic),
    };

    private static ShopMapping Order(ShopMapper.Ids ids, JsonElement order, string name, string what, DateTimeOffset? at)
    {
        if (order.Id("id") is not { } orderId)
            return ShopMapping.Of([], "the order has no id");
        var who = Person(order.Get("customer"), order);
        if (!who.IsKnown)
            return ShopMapping.Of([], "the order names no customer id, email or phone");

        var properties = new JsonObject()
            .Put("order_id", orderId)
            .Put("order_number", order.Text("name") ?? order.Text("order_number"))
            .Put("checkout_id", order.Id("checkout_id"))
            .Put("affiliation", order.Text("source_name"))
            .Put("revenue", order.Decimal("total_price"))
            .Put("total", order.Decimal("total_price"))
            .Put("subtotal", order.Decimal("subtotal_price"))
            .Put("tax", order.Decimal("total_tax"))
            .Put("shipping", order.Decimal("total_shipping_price_set", "shop_money", "amount") ?? Sum(order.Items("shipping_lines"), "price"))
            .Put("discount", order.Decimal("total_discounts"))
            .Put("coupon", order.Items("discount_codes").Select(c => c.Text("code")).FirstOrDefault(c => c is not null))
            .Put("currency", ShopJson.Currency(order.Text("currency")))
            .Put("products", LineItems(order.Items("line_items")));
        if (what == "cancelled")
            properties.Put("reason", order.Text("cancel_reason"));
        if (what == "fulfilled")
        {
            var fulfillment = order.Items("fulfillments").LastOrDefault();
            properties.Put("tracking_number", fulfillment.Text("tracking_number")).Put("tracking_url", fulfillment.Text("tracking_url"))
                .Put("tracking_company", fulfillment.Text("tracking_company"));
        }
        return ShopMapping.Of([new ShopEvent(ids.Of("order", orderId, what), name, at ?? DateTimeOffset.UnixEpoch, who, properties)]);
    }

    private static ShopMapping Refund(ShopMapper.Ids ids, JsonElement refund)
    {
        if (refund.Id("id") is not { } refundId || refund.Id("order_id") is not { } orderId)
            return ShopMapping.Of([], "the refund has no id or order id");
        // A refund names no buyer: the connector attaches it to the buyer of its order (ShopEvent.Customer unknown).
        var who = Person(refund.Get("customer"), refund);
        var products = new JsonArray();
        decimal? lines = null;
        foreach (var item in refund.Items("refund_line_items"))
        {
            var product = Product(item.Get("line_item"));
            product.Put("quantity", item.Whole("quantity"));
            products.Add(product);
            if (item.Decimal("subtotal") is { } subtotal)
                lines = (lines ?? 0m) + subtotal + (item.Decimal("total_tax") ?? 0m);
        }
        var refunded = Sum(refund.Items("transactions").Where(t => t.Text("kind") == "refund" && t.Text("status") is null or "success"), "amount") ?? lines;
        var currency = refund.Items("transactions").Select(t => ShopJson.Currency(t.Text("currency"))).FirstOrDefault(c => c is not null);
        var properties = new JsonObject()
            .Put("order_id", orderId)
            .Put("refund_id", refundId)
            .Put("total", refunded)
            .Put("currency", currency)
            .Put("reason", refund.Text("note"))
            .Put("products", products.Count > 0 ? products : null);
        var at = refund.Time("processed_at") ?? refund.Time("created_at") ?? DateTimeOffset.UnixEpoch;
        return ShopMapping.Of([new ShopEvent(ids.Of("refund", refundId, "created"), "Order Refunded", at, who, properties)]);
    }

    private static ShopMapping Checkout(ShopMapper.Ids ids, JsonElement checkout)
    {
        var checkoutId = checkout.Id("id") ?? checkout.Text("token");
        if (checkoutId is null)
            return ShopMapping.Of([], "the checkout has no id");
        var who = Person(checkout.Get("customer"), checkout);
        if (!who.IsKnown)
            return ShopMapping.Of([], "the checkout names no customer id, email or phone yet");
        // One Checkout Started per checkout: later updates carry the same message id. An update that adds the buyer's
        // email to a checkout created without one is the first Nudge can attach, and so the one that counts.
        var properties = new JsonObject()
            .Put("checkout_id", checkoutId)
            .Put("cart_id", checkout.Text("cart_token"))
            .Put("checkout_url", checkout.Text("abandoned_checkout_url"))
            .Put("revenue", checkout.Decimal("total_price"))
            .Put("total", checkout.Decimal("total_price"))
            .Put("subtotal", checkout.Decimal("subtotal_price"))
            .Put("tax", checkout.Decimal("total_tax"))
            .Put("discount", checkout.Decimal("total_discounts"))
            .Put("coupon", checkout.Items("discount_codes").Select(c => c.Text("code")).FirstOrDefault(c => c is not null))
            .Put("currency", ShopJson.Currency(checkout.Text("currency") ?? checkout.Text("presentment_currency")))
            .Put("products", LineItems(checkout.Items("line_items")));
        var at = checkout.Time("created_at") ?? checkout.Time("updated_at") ?? DateTimeOffset.UnixEpoch;
        return ShopMapping.Of([new ShopEvent(ids.Of("checkout", checkoutId, "started"), "Checkout Started", at, who, properties)]);
    }

    private static ShopMapping Customer(ShopMapper.Ids ids, JsonElement customer)
    {
        if (customer.Id("id") is not { } customerId)
            return ShopMapping.Of([], "the customer has no id");
        var who = Person(customer, default);
        who.Traits
            .Put("shopify_tags", customer.Text("tags"))
            .Put("email_marketing", customer.Text("email_marketing_consent", "state"))
            .Put("sms_marketing", customer.Text("sms_marketing_consent", "state"))
            .Put("verified_email", customer.Bool("verified_email") is { } verified ? JsonValue.Create(verified) : null)
            .Put("created_at", customer.Text("created_at"));
        var at = customer.Time("updated_at") ?? customer.Time("created_at") ?? DateTimeOffset.UnixEpoch;
        return ShopMapping.Of([new ShopEvent(ids.Of("customer", customerId, ShopJson.Stamp(at)), null, at, who, [])]);
    }

    private static List<ShopProduct> Products(JsonElement product)
    {
        if (product.Id("id") is not { } productId)
            return [];
        var images = product.Items("images").ToList();
        var mainImage = product.Text("image", "src") ?? images.Select(i => i.Text("src")).FirstOrDefault(s => s is not null);
        var tags = (product.Text("tags") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var productType = product.Text("product_type");
        var title = product.Text("title");
        var url = product.Text("handle") is { } handle ? "/products/" + handle : null;
        var active = product.Text("status") is null or "active";
        var updated = product.Time("updated_at");
        var variants = product.Items("variants").ToList();
        if (variants.Count == 0)
            return [new ShopProduct(productId, null, null, title, url, mainImage, null, null, null, Category(productType), product.Text("vendor"), productType, tags, null, active, null, updated)];
        // The product itself (its own title, main image, categories), then each variant with its own price and stock.
        var own = new ShopProduct(productId, null, null, title, url, mainImage, null, null, null, Category(productType), product.Text("vendor"), productType, tags, null, null, null, updated);
        return [own, .. variants.Select(v =>
        {
            var image = v.Id("image_id") is { } imageId ? images.FirstOrDefault(i => i.Id("id") == imageId).Text("src") ?? mainImage : mainImage;
            var quantity = v.Whole("inventory_quantity");
            var tracked = v.Text("inventory_management") is not null;
            var sellsOutOfStock = v.Text("inventory_policy") == "continue";
            var variantTitle = v.Text("title") is { } t && t != "Default Title" ? t : null;
            return new ShopProduct(
                productId, v.Id("id"), v.Text("sku"), variantTitle, url, image, v.Decimal("price"), v.Decimal("compare_at_price"), null,
                Category(productType), product.Text("vendor"), productType, tags, tracked ? quantity : null,
                active && (!tracked || sellsOutOfStock || quantity > 0), v.Id("inventory_item_id"), v.Time("updated_at") ?? updated);
        })];
    }

    private static List<ShopProduct> InventoryLevel(JsonElement level)
    {
        if (level.Id("inventory_item_id") is not { } item || level.Whole("available") is not { } available)
            return [];
        // An inventory level names the inventory item and location only; the catalog finds the variant by the item id.
        return [new ShopProduct("", null, null, null, null, null, null, null, null, [], null, null, [], available, available > 0, item, level.Time("updated_at"))];
    }

    private static IReadOnlyList<string> Category(string? productType) => productType is null ? [] : [productType];

    /// <summary>The buyer: the customer object's id, email, phone and names, else the order's own email and phone.</summary>
    private static ShopCustomer Person(JsonElement customer, JsonElement owner)
    {
        var address = customer.Get("default_address").ValueKind == JsonValueKind.Object ? customer.Get("default_address") : owner.Get("billing_address");
        var traits = new JsonObject()
            .Put("first_name", customer.Text("first_name") ?? owner.Text("billing_address", "first_name"))
            .Put("last_name", customer.Text("last_name") ?? owner.Text("billing_address", "last_name"));
        if (address.ValueKind == JsonValueKind.Object)
        {
            traits.Put("address", new JsonObject()
                .Put("city", address.Text("city"))
                .Put("postal_code", address.Text("zip"))
                .Put("country", address.Text("country_code"))
                .Put("state", address.Text("province_code")));
        }
        return new ShopCustomer(
            customer.Id("id"),
            owner.Text("email") ?? owner.Text("contact_email") ?? customer.Text("email"),
            owner.Text("phone") ?? customer.Text("phone") ?? address.Text("phone"),
            traits);
    }

    private static JsonArray LineItems(IEnumerable<JsonElement> items) => new(items.Select(i => (JsonNode)Product(i)).ToArray());

    private static JsonObject Product(JsonElement item) => new JsonObject()
        .Put("product_id", item.Id("product_id"))
        .Put("variant_id", item.Id("variant_id"))
        .Put("sku", item.Text("sku"))
        .Put("name", item.Text("title") ?? item.Text("name"))
        .Put("variant", item.Text("variant_title"))
        .Put("brand", item.Text("vendor"))
        .Put("price", item.Decimal("price"))
        .Put("quantity", item.Whole("quantity"));

    private static decimal? Sum(IEnumerable<JsonElement> items, string field)
    {
        decimal? sum = null;
        foreach (var item in items)
        {
            if (item.Decimal(field) is { } amount)
                sum = (sum ?? 0m) + amount;
        }
        return sum;
    }
}
