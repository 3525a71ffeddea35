using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nudge.Core.Connectors;

/// <summary>
/// Lenient reads of shop payloads: amounts come as strings ("19.99") or numbers, ids as numbers or strings, and a missing
/// or odd field costs that field only.
/// </summary>
internal static class ShopJson
{
    public static JsonElement Get(this JsonElement element, params ReadOnlySpan<string> path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                return default;
        }
        return current;
    }

    public static string? Text(this JsonElement element, params ReadOnlySpan<string> path) => Get(element, path) switch
    {
        { ValueKind: JsonValueKind.String } s when s.GetString()!.Trim() is { Length: > 0 } text => text,
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };

    /// <summary>An id: a non-zero number or a non-empty text (WooCommerce says 0 for "no customer").</summary>
    public static string? Id(this JsonElement element, params ReadOnlySpan<string> path) =>
        Text(element, path) is { } text && text != "0" ? text : null;

    public static decimal? Decimal(this JsonElement element, params ReadOnlySpan<string> path)
    {
        var value = Get(element, path);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
            return number;
        return value.ValueKind == JsonValueKind.String
            && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    public static long? Whole(this JsonElement element, params ReadOnlySpan<string> path) =>
        Decimal(element, path) is { } number && decimal.IsInteger(number) && number is >= long.MinValue and <= long.MaxValue ? (long)number : null;

    public static bool? Bool(this JsonElement element, params ReadOnlySpan<string> path) => Get(element, path).ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>
    /// A time: ISO 8601 with an offset (Shopify, Shopware), without one (WooCommerce's <c>_gmt</c> fields, read as UTC),
    /// or Unix seconds.
    /// </summary>
    public static DateTimeOffset? Time(this JsonElement element, params ReadOnlySpan<string> path)
    {
        var value = Get(element, path);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds))
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        return value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
    }

    public static IEnumerable<JsonElement> Items(this JsonElement element, params ReadOnlySpan<string> path)
    {
        var value = Get(element, path);
        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [];
    }

    /// <summary>An ISO 4217 code in upper case, or null.</summary>
    public static string? Currency(string? text) =>
        text?.Trim() is { Length: 3 } code && code.All(char.IsAsciiLetter) ? code.ToUpperInvariant() : null;

    /// <summary>Sets <paramref name="name"/> when there is a value; JSON has no use for nulls here.</summary>
    public static JsonObject Put(this JsonObject target, string name, JsonNode? value)
    {
        if (value is not null)
            target[name] = value;
        return target;
    }

    public static JsonObject Put(this JsonObject target, string name, string? value) => Put(target, name, value is null ? null : JsonValue.Create(value));

    public static JsonObject Put(this JsonObject target, string name, decimal? value) => Put(target, name, value is null ? null : JsonValue.Create(value.Value));

    public static JsonObject Put(this JsonObject target, string name, long? value) => Put(target, name, value is null ? null : JsonValue.Create(value.Value));

    public static string Stamp(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "none";
}
