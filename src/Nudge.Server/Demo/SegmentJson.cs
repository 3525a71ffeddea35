using System.Globalization;
using System.Text.Json.Nodes;

namespace Nudge.Server.Demo;

/// <summary>Pieces of Segment messages shared by browser and server calls.</summary>
internal static class SegmentJson
{
    public const string Currency = "EUR";

    /// <summary>The fields every message starts with, in the order analytics.js writes them.</summary>
    public static JsonObject Envelope(string type, Shopper shopper, DateTimeOffset timestamp, bool fromServer)
    {
        var message = new JsonObject
        {
            ["type"] = type,
            ["messageId"] = shopper.Random.NextGuid().ToString("D"),
        };
        if (!fromServer)
        {
            message["anonymousId"] = shopper.AnonymousId;
        }

        if (shopper.Identified && shopper.Customer is { } customer)
        {
            message["userId"] = customer.UserId;
        }

        message["timestamp"] = Timestamp(timestamp);
        return message;
    }

    /// <summary>ISO-8601 in UTC with milliseconds, e.g. <c>2025-03-14T18:07:55.120Z</c>.</summary>
    public static string Timestamp(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The context a back-end library sends: no page, no browser.</summary>
    public static JsonObject ServerContext(Shopper shopper) => new()
    {
        ["library"] = new JsonObject { ["name"] = "analytics-node", ["version"] = "2.2.1" },
        ["timezone"] = shopper.Place.TimeZone,
    };

    /// <summary>A product as the e-commerce spec v2 lists it.</summary>
    public static JsonObject Product(DemoProduct product) => new()
    {
        ["product_id"] = product.Id,
        ["sku"] = product.Sku,
        ["category"] = product.Category,
        ["name"] = product.Name,
        ["brand"] = product.Brand,
        ["price"] = product.Price,
        ["url"] = product.Url.AbsoluteUri,
        ["image_url"] = product.ImageUrl.AbsoluteUri,
    };

    /// <summary>A product with a quantity and currency, as in Product Added and Product Removed.</summary>
    public static JsonObject Line(CartLine line, string cartId)
    {
        var json = Product(line.Product);
        json["quantity"] = line.Quantity;
        json["currency"] = Currency;
        json["cart_id"] = cartId;
        return json;
    }

    public static JsonArray Lines(IEnumerable<CartLine> lines)
    {
        var array = new JsonArray();
        foreach (var line in lines)
        {
            var json = Product(line.Product);
            json["quantity"] = line.Quantity;
            array.Add(json);
        }

        return array;
    }

    /// <summary>Products of a list or search result, with their 1-based positions.</summary>
    public static JsonArray Listed(IEnumerable<DemoProduct> products)
    {
        var array = new JsonArray();
        var position = 1;
        foreach (var product in products)
        {
            var json = Product(product);
            json["position"] = position++;
            array.Add(json);
        }

        return array;
    }

    /// <summary>The order fields shared by Checkout Started, Order Completed and Order Cancelled.</summary>
    public static JsonObject Order(string orderId, IReadOnlyList<CartLine> lines, OrderTotals totals, DemoCoupon? coupon, string? checkoutId = null)
    {
        var json = new JsonObject();
        if (checkoutId is not null)
        {
            json["checkout_id"] = checkoutId;
        }

        json["order_id"] = orderId;
        json["affiliation"] = "Demo Shop";
        json["subtotal"] = totals.Subtotal;
        json["total"] = totals.Total;
        json["revenue"] = totals.Revenue;
        json["shipping"] = totals.Shipping;
        json["tax"] = totals.Tax;
        json["discount"] = totals.Discount;
        if (coupon is not null)
        {
            json["coupon"] = coupon.Code;
        }

        json["currency"] = Currency;
        json["products"] = Lines(lines);
        return json;
    }
}
