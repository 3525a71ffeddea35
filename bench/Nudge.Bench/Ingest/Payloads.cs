using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Nudge.Bench.Ingest;

/// <summary>One pre-serialized <c>/v1/batch</c> request body and where each of its events sits in it.</summary>
internal sealed record PayloadBatch(byte[] Body, EventRow[] Rows);

/// <summary>
/// What the plain SQLite baseline stores for an event: the same ids, type, name and time as the server sees,
/// and the event's JSON as a slice of its batch body.
/// </summary>
internal readonly record struct EventRow(Guid MessageId, string? UserId, string AnonymousId, string Type, string? Name, long TimestampMs, int Offset, int Length);

/// <summary>
/// Realistic e-commerce traffic for a shop: Product Viewed, Product Added, Checkout Started, Order Completed,
/// page and identify calls with the Segment e-commerce spec's property names, from a fixed set of users who
/// carry both a userId and an anonymousId. Every message id is a fresh random UUID v4, as trackers send them.
/// </summary>
internal sealed class Payloads
{
    private static readonly string[] Adjectives = ["Classic", "Trail", "Urban", "Merino", "Linen", "Organic", "Waterproof", "Lightweight", "Vintage", "Performance"];
    private static readonly string[] Nouns = ["Runner", "Hoodie", "Backpack", "Jacket", "Sneaker", "T-Shirt", "Beanie", "Chino", "Parka", "Sandal"];
    private static readonly string[] Categories = ["Shoes", "Apparel", "Bags", "Outdoor", "Accessories"];
    private static readonly string[] Brands = ["Nordkap", "Fjellstad", "Alpenglow", "Seabird", "Kestrel"];
    private static readonly string[] Colors = ["Black", "Navy", "Olive", "Sand", "Red"];
    private static readonly string[] FirstNames = ["Anna", "Lukas", "Mia", "Jonas", "Lea", "Finn", "Emma", "Paul", "Lena", "Noah"];
    private static readonly string[] LastNames = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Wagner", "Hoffmann"];
    private static readonly string[] Cities = ["Berlin", "Hamburg", "München", "Köln", "Wien", "Zürich"];
    private static readonly string[] Pages = ["Home", "Category", "Search", "Cart", "Account"];

    private readonly Random _random;
    private readonly User[] _users;
    private readonly Product[] _products;
    private readonly DateTime _start = DateTime.UtcNow;

    public Payloads(int users, int seed = 20_260_512)
    {
        _random = new Random(seed);
        _products = [.. Enumerable.Range(1, 500).Select(NewProduct)];
        _users = [.. Enumerable.Range(1, users).Select(NewUser)];
    }

    /// <summary>Serializes <paramref name="batches"/> request bodies of <paramref name="batchSize"/> events each.</summary>
    public PayloadBatch[] Generate(int batches, int batchSize)
    {
        var result = new PayloadBatch[batches];
        var buffer = new ArrayBufferWriter<byte>(batchSize * 600);
        // Raw UTF-8 as JavaScript trackers send it (JSON.stringify does not escape umlauts).
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        for (var b = 0; b < batches; b++)
        {
            buffer.ResetWrittenCount();
            json.Reset(buffer);
            var sentAt = _start.AddMilliseconds(b);
            var rows = new EventRow[batchSize];
            json.WriteStartObject();
            json.WriteStartArray("batch");
            for (var i = 0; i < batchSize; i++)
            {
                var timestamp = sentAt.AddMilliseconds(-_random.Next(50, 5_000));
                rows[i] = WriteEvent(json, timestamp);
            }

            json.WriteEndArray();
            json.WriteString("sentAt", Iso(sentAt));
            json.WriteEndObject();
            json.Flush();
            result[b] = new PayloadBatch(buffer.WrittenSpan.ToArray(), rows);
        }

        return result;
    }

    private EventRow WriteEvent(Utf8JsonWriter json, DateTime timestamp)
    {
        var user = _users[_random.Next(_users.Length)];
        var roll = _random.Next(100);
        var messageId = Guid.NewGuid();
        // A quarter of the browsing happens before login: those calls carry only the anonymousId.
        var userId = roll < 92 && _random.Next(4) == 0 ? null : user.UserId;
        var (type, name) = roll switch
        {
            < 38 => ("track", "Product Viewed"),
            < 53 => ("track", "Product Added"),
            < 60 => ("track", "Checkout Started"),
            < 65 => ("track", "Order Completed"),
            < 92 => ("page", Pages[_random.Next(Pages.Length)]),
            _ => ("identify", (string?)null),
        };

        json.WriteStartObject();
        var start = (int)(json.BytesCommitted + json.BytesPending) - 1;
        json.WriteString("type", type);
        if (type == "track")
            json.WriteString("event", name);
        else if (type == "page")
            json.WriteString("name", name);
        json.WriteString("messageId", messageId.ToString());
        if (userId is not null)
            json.WriteString("userId", userId);
        json.WriteString("anonymousId", user.AnonymousId);
        json.WriteString("timestamp", Iso(timestamp));
        WriteContext(json, type == "page");
        switch (name)
        {
            case "Product Viewed" or "Product Added":
                WriteProductProperties(json, user, name == "Product Added");
                break;
            case "Checkout Started" or "Order Completed":
                WriteOrderProperties(json, name == "Order Completed");
                break;
            case null:
                WriteTraits(json, user);
                break;
            default:
                WritePageProperties(json, name);
                break;
        }

        json.WriteEndObject();
        var end = (int)(json.BytesCommitted + json.BytesPending);
        return new EventRow(messageId, userId, user.AnonymousId, type, name, new DateTimeOffset(timestamp).ToUnixTimeMilliseconds(), start, end - start);
    }

    private static void WriteContext(Utf8JsonWriter json, bool page)
    {
        json.WriteStartObject("context");
        json.WriteStartObject("library");
        json.WriteString("name", page ? "analytics.js" : "analytics-node");
        json.WriteString("version", page ? "5.2.0" : "2.1.2");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private void WriteProductProperties(Utf8JsonWriter json, User user, bool added)
    {
        var product = _products[_random.Next(_products.Length)];
        json.WriteStartObject("properties");
        if (added)
            json.WriteString("cart_id", user.CartId);
        WriteProduct(json, product, added ? 1 + _random.Next(2) : null);
        json.WriteString("currency", "EUR");
        json.WriteEndObject();
    }

    private void WriteOrderProperties(Utf8JsonWriter json, bool completed)
    {
        var items = 1 + _random.Next(2);
        json.WriteStartObject("properties");
        if (completed)
            json.WriteString("order_id", $"O-{_random.Next(10_000_000):D7}");
        json.WriteString("checkout_id", $"C-{_random.Next(10_000_000):D7}");
        json.WriteStartArray("products");
        decimal total = 0;
        for (var i = 0; i < items; i++)
        {
            var product = _products[_random.Next(_products.Length)];
            json.WriteStartObject();
            json.WriteString("product_id", product.Id);
            json.WriteString("sku", product.Sku);
            json.WriteString("name", product.Name);
            json.WriteNumber("price", product.Price);
            json.WriteNumber("quantity", 1);
            json.WriteEndObject();
            total += product.Price;
        }

        json.WriteEndArray();
        json.WriteNumber(completed ? "revenue" : "value", total);
        if (completed)
        {
            json.WriteNumber("shipping", 4.95m);
            json.WriteNumber("tax", Math.Round(total * 0.19m / 1.19m, 2));
        }
        json.WriteString("currency", "EUR");
        json.WriteEndObject();
    }

    private static void WriteTraits(Utf8JsonWriter json, User user)
    {
        json.WriteStartObject("traits");
        json.WriteString("email", user.Email);
        json.WriteString("firstName", user.FirstName);
        json.WriteString("lastName", user.LastName);
        if (user.Phone is not null)
            json.WriteString("phone", user.Phone);
        json.WriteStartObject("address");
        json.WriteString("city", user.City);
        json.WriteString("country", "DE");
        json.WriteEndObject();
        json.WriteBoolean("newsletter", user.Newsletter);
        json.WriteEndObject();
    }

    private void WritePageProperties(Utf8JsonWriter json, string name)
    {
        var category = Categories[_random.Next(Categories.Length)];
        var path = name switch
        {
            "Home" => "/",
            "Category" => "/c/" + category.ToLowerInvariant(),
            "Search" => "/search?q=" + Nouns[_random.Next(Nouns.Length)].ToLowerInvariant(),
            _ => "/" + name.ToLowerInvariant(),
        };
        json.WriteStartObject("properties");
        json.WriteString("path", path);
        json.WriteString("url", "https://shop.example.com" + path);
        json.WriteString("title", $"{name} | Nordkap Outdoor Shop");
        json.WriteString("referrer", "https://www.google.com/");
        json.WriteEndObject();
    }

    private static void WriteProduct(Utf8JsonWriter json, Product product, int? quantity)
    {
        json.WriteString("product_id", product.Id);
        json.WriteString("sku", product.Sku);
        json.WriteString("category", product.Category);
        json.WriteString("name", product.Name);
        json.WriteString("brand", product.Brand);
        json.WriteString("variant", product.Variant);
        json.WriteNumber("price", product.Price);
        if (quantity is { } q)
            json.WriteNumber("quantity", q);
    }

    private Product NewProduct(int n)
    {
        var name = $"{Adjectives[_random.Next(Adjectives.Length)]} {Nouns[_random.Next(Nouns.Length)]}";
        return new Product(
            $"P-{n:D5}",
            $"SKU-{n:D5}-{_random.Next(36, 46)}",
            name,
            Categories[_random.Next(Categories.Length)],
            Brands[_random.Next(Brands.Length)],
            Colors[_random.Next(Colors.Length)],
            Math.Round(9.95m + _random.Next(0, 240) + 0.9m, 2));
    }

    private User NewUser(int n)
    {
        var first = FirstNames[_random.Next(FirstNames.Length)];
        var last = LastNames[_random.Next(LastNames.Length)];
        return new User(
            $"usr_{n:D7}",
            RandomUuid().ToString(),
            $"{first}.{last}{n}@example.com".ToLowerInvariant(),
            first,
            last,
            _random.Next(2) == 0 ? $"+49 151 {_random.Next(10_000_000, 99_999_999)}" : null,
            Cities[_random.Next(Cities.Length)],
            $"cart_{RandomUuid():N}"[..17],
            _random.Next(3) == 0);
    }

    /// <summary>A UUID v4 from the seeded generator: the same users come back with the same ids in every run.</summary>
    private Guid RandomUuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private sealed record User(
        string UserId, string AnonymousId, string Email, string FirstName, string LastName, string? Phone, string City, string CartId, bool Newsletter);

    private sealed record Product(string Id, string Sku, string Name, string Category, string Brand, string Variant, decimal Price);
}
