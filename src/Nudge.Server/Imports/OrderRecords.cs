using System.Globalization;
using System.Text.Json;
using Nudge.Core.Commerce;

namespace Nudge.Server.Imports;

/// <summary>
/// Orders: an <c>Order Completed</c> per order id, at the order's original time, with the properties
/// <see cref="CommerceEventParser"/> reads (order_id, revenue, total, currency, products, ...). Consecutive rows
/// with the same order id are one order's lines, as shop exports write them (Shopify repeats <c>Name</c> on every
/// line and puts the totals on the first); only the first row needs the customer and the time.
/// </summary>
internal sealed class OrderRecords(RowSource source, RowErrors errors, ImportEvents events, string? region, TimeProvider time)
    : RecordBuilder(source, errors, region, time)
{
    private static readonly ImportKind Kind = ImportKind.Orders;
    private static readonly int OrderId = Kind.IndexOf("order_id");
    private static readonly int Timestamp = Kind.IndexOf("timestamp");
    private static readonly int Email = Kind.IndexOf("email");
    private static readonly int UserId = Kind.IndexOf("user_id");
    private static readonly int Phone = Kind.IndexOf("phone");
    private static readonly int Currency = Kind.IndexOf("currency");
    private static readonly int Coupon = Kind.IndexOf("coupon");
    private static readonly int Products = Kind.IndexOf("products");
    private static readonly int Quantity = Kind.IndexOf("quantity");
    private static readonly (int Field, string Name)[] Amounts =
        new[] { "revenue", "total", "subtotal", "shipping", "tax", "discount" }.Select(n => (Kind.IndexOf(n), n)).ToArray();
    private static readonly (int Field, string Property)[] LineTexts =
        [(Kind.IndexOf("product_id"), "product_id"), (Kind.IndexOf("sku"), "sku"), (Kind.IndexOf("product_name"), "name"),
         (Kind.IndexOf("category"), "category"), (Kind.IndexOf("brand"), "brand"), (Kind.IndexOf("variant"), "variant")];
    private static readonly int Price = Kind.IndexOf("price");

    private Pending? _pending;

    public override bool StartsRecord() => _pending is null || Source.Text(OrderId) != _pending.OrderId;

    public override ImportedRecord? Complete()
    {
        if (_pending is not { } order)
            return null;
        _pending = null;
        return new ImportedRecord(events.Track("Order Completed", ImportEvents.OrderMessageId(order.OrderId), order.At, order.Line, order.Who, json =>
        {
            json.WriteString("order_id", order.OrderId);
            foreach (var (name, value) in order.Amounts)
                json.WriteNumber(name, value);
            if (order.Currency is { } currency)
                json.WriteString("currency", currency);
            if (order.Coupon is { } coupon)
                json.WriteString("coupon", coupon);
            json.WriteStartArray("products");
            foreach (var product in order.Products)
            {
                if (product.Json is { } element)
                {
                    element.WriteTo(json);
                    continue;
                }
                json.WriteStartObject();
                foreach (var (name, text) in product.Texts)
                    json.WriteString(name, text);
                if (product.Price is { } price)
                    json.WriteNumber("price", price);
                json.WriteNumber("quantity", product.Quantity);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }));
    }

    public override void Add()
    {
        var line = Source.Line;
        var orderId = Source.Text(OrderId);
        if (orderId is null)
        {
            Error(line, "order_id", "is empty");
            return;
        }
        if (_pending is { } same && same.OrderId == orderId)
        {
            ReadLines(same.Products);
            return;
        }

        var before = Errors.Count;
        var who = ReadWho(Email, UserId, Phone, phoneIdentifies: true);
        var at = ReadTime(Timestamp, "timestamp", required: true);
        var ok = true;
        var amounts = new List<(string, decimal)>();
        foreach (var (field, name) in Amounts)
        {
            if (ReadAmount(field, name, ref ok) is { } amount)
                amounts.Add((name, amount));
        }
        var currency = Source.Text(Currency)?.ToUpperInvariant();
        if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetter)))
            ok = !Error(line, "currency", $"'{currency}' is not a three-letter currency code");
        var products = new List<LineItem>();
        if (!ReadLines(products) || who is null || at is null || !ok || Errors.Count > before)
            return;
        _pending = new Pending(orderId, line, who, at.Value, amounts, currency, Source.Text(Coupon), products);
    }

    /// <summary>Adds the row's products (a <c>products</c> JSON array and/or the line columns); false when they are unreadable.</summary>
    private bool ReadLines(List<LineItem> products)
    {
        var line = Source.Line;
        var ok = true;
        if (ReadProductsJson() is { } listed)
        {
            if (listed.ValueKind != JsonValueKind.Array || listed.EnumerateArray().Any(p => p.ValueKind != JsonValueKind.Object))
                return !Error(line, "products", "must be a JSON array of product objects");
            products.AddRange(listed.EnumerateArray().Select(p => new LineItem([], null, 1, p.Clone())));
        }

        var texts = LineTexts.Select(t => (t.Property, Source.Text(t.Field))).Where(t => t.Item2 is not null).Select(t => (t.Property, t.Item2!)).ToList();
        var price = ReadAmount(Price, "price", ref ok);
        var quantity = 1;
        if (Source.Text(Quantity) is { } count && (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out quantity) || quantity == 0))
            ok = !Error(line, "quantity", $"'{count}' is not a whole number above 0");
        if (!ok)
            return false;
        if (texts.Count > 0)
            products.Add(new LineItem(texts, price, quantity, null));
        return true;
    }

    private JsonElement? ReadProductsJson()
    {
        if (Source.Json(Products) is { } element)
            return element.ValueKind == JsonValueKind.String ? Parse(element.GetString()) : element;
        return Parse(Source.Text(Products));

        static JsonElement? Parse(string? text)
        {
            if (text is null)
                return null;
            try
            {
                return JsonSerializer.Deserialize<JsonElement>(text);
            }
            catch (JsonException)
            {
                return default(JsonElement);
            }
        }
    }

    private sealed record LineItem(List<(string Name, string Text)> Texts, decimal? Price, int Quantity, JsonElement? Json);

    private sealed record Pending(
        string OrderId, long Line, Who Who, DateTimeOffset At, List<(string Name, decimal Value)> Amounts, string? Currency, string? Coupon,
        List<LineItem> Products);
}
