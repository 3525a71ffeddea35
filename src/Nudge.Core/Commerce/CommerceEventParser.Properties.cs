using System.Globalization;
using System.Text.Json;

namespace Nudge.Core.Commerce;

public static partial class CommerceEventParser
{
    /// <summary>
    /// Lenient reads of one JSON object: shops send numbers as strings and ids as numbers, and a bad
    /// value must cost that field only, never the event.
    /// </summary>
    private readonly struct Properties(JsonElement element)
    {
        private readonly JsonElement _object = element.ValueKind == JsonValueKind.Object ? element : default;

        public string? Text(params ReadOnlySpan<string> names)
        {
            foreach (var name in names)
            {
                if (ToText(Get(name)) is { } text)
                    return text;
            }

            return null;
        }

        public decimal? Number(string name) => ToDecimal(Get(name));

        public int? WholeNumber(string name) =>
            Number(name) is { } number && decimal.IsInteger(number) && number is >= int.MinValue and <= int.MaxValue
                ? (int)number
                : null;

        public string? Currency() =>
            Text("currency")?.Trim() is { Length: 3 } code && code.All(char.IsAsciiLetter)
                ? code.ToUpperInvariant()
                : null;

        public Product Product() => new()
        {
            ProductId = Text("product_id", "id"),
            Sku = Text("sku"),
            Name = Text("name"),
            Category = Text("category"),
            Brand = Text("brand"),
            Variant = Text("variant"),
            Price = Number("price"),
            Quantity = WholeNumber("quantity") ?? 1,
            Coupon = Text("coupon"),
            Position = WholeNumber("position"),
            Url = Text("url"),
            ImageUrl = Text("image_url"),
        };

        public IReadOnlyList<Product> Products()
        {
            var list = Get("products");
            if (list.ValueKind != JsonValueKind.Array)
                return [];

            var products = new List<Product>(list.GetArrayLength());
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                    products.Add(new Properties(item).Product());
            }

            return products;
        }

        private JsonElement Get(string name) =>
            _object.ValueKind == JsonValueKind.Object && _object.TryGetProperty(name, out var value) ? value : default;

        private static string? ToText(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String when value.GetString() is { } text && !string.IsNullOrWhiteSpace(text) => text,
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };

        private static decimal? ToDecimal(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
            JsonValueKind.String when decimal.TryParse(
                value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
            _ => null,
        };
    }
}
