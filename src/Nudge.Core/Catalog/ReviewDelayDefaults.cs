namespace Nudge.Core.Catalog;

/// <summary>
/// Nudge's built-in review delays: how long after delivery people have used a product enough to review it. Matched
/// on words in the product type; the shop overrides them per product type or per product.
/// </summary>
public static class ReviewDelayDefaults
{
    /// <summary>The delay when the product type matches none of the kinds below.</summary>
    public const int Fallback = 14;

    /// <summary>The kinds, first match wins: (words in the product type, days).</summary>
    public static IReadOnlyList<(string[] Words, int Days)> Kinds { get; } =
    [
        // Seasonal goods are judged (and forgotten) quickly: ask while the season lasts.
        (["seasonal", "christmas", "halloween", "easter", "holiday", "gift"], 3),
        (["perishable", "food", "grocery", "groceries", "fresh", "flower", "coffee", "tea", "snack", "beverage", "drink"], 7),
        (["clothing", "apparel", "fashion", "shirt", "dress", "jacket", "pants", "shoe", "footwear", "sneaker", "boot"], 14),
        (["sport", "fitness", "outdoor", "bike", "bicycle", "camping", "gear"], 21),
        (["furniture", "sofa", "chair", "table", "mattress", "bed", "desk", "wardrobe"], 28),
    ];

    /// <summary>The built-in delay in days for a product type (the fallback for none or an unknown kind).</summary>
    public static int For(string? productType)
    {
        if (string.IsNullOrWhiteSpace(productType))
            return Fallback;
        var type = productType.ToLowerInvariant();
        foreach (var (words, days) in Kinds)
        {
            if (words.Any(w => type.Contains(w, StringComparison.Ordinal)))
                return days;
        }
        return Fallback;
    }
}
