using System.Text.Json;
using Nudge.Core.Ingestion;

namespace Nudge.Core.Coupons;

/// <summary>
/// The coupon codes an event says were used in the shop: <c>Coupon Applied</c> (<c>coupon_id</c>, <c>coupon_name</c>,
/// <c>coupon</c> or <c>code</c>) and <c>Order Completed</c> (<c>coupon</c>, comma-separated when several, and the
/// <c>discount_codes</c> list Shopify-style payloads carry).
/// </summary>
public static class RedeemedCodes
{
    /// <summary>The event flows listen for when a code was used.</summary>
    public const string Redeemed = "Coupon Redeemed";

    /// <summary>The distinct codes <paramref name="e"/> names as used; empty for other events.</summary>
    public static IReadOnlyList<string> In(LoggedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Type != MessageType.Track || e.Name is not ("Coupon Applied" or "Order Completed")
            || !e.Body.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return [];
        }
        var codes = new List<string>();
        string[] keys = e.Name == "Coupon Applied" ? ["coupon_id", "coupon_name", "coupon", "code"] : ["coupon", "coupon_code"];
        foreach (var key in keys)
        {
            if (properties.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String)
                codes.AddRange(value.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        if (properties.TryGetProperty("discount_codes", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                    codes.Add(item.GetString()!.Trim());
                else if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
                    codes.Add(code.GetString()!.Trim());
            }
        }
        return codes.Where(c => CouponCodes.Problem(c) is null).DistinctBy(CouponCodes.Key).ToList();
    }

    /// <summary>The order the event is about, if it names one.</summary>
    public static string? OrderId(LoggedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Body.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
            && p.TryGetProperty("order_id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? id.ToString()
                : null;
    }
}
