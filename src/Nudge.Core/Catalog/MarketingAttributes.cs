namespace Nudge.Core.Catalog;

/// <summary>
/// What flows need to know about a product beyond its listing. Set on a product or on a product type; a null
/// (or empty list) means "not set here": the product type's value, then the built-in default, applies.
/// </summary>
/// <param name="ComplementaryProductIds">Products bought with it (cross-sell: phone → case).</param>
/// <param name="UpsellProductIds">Better or bigger products to suggest instead (upsell).</param>
/// <param name="ConsumptionDays">How many days one unit lasts (replenishment reminders).</param>
/// <param name="ReviewDelayDays">How many days after delivery to ask for a review.</param>
public sealed record MarketingAttributes(
    IReadOnlyList<string>? ComplementaryProductIds = null,
    IReadOnlyList<string>? UpsellProductIds = null,
    int? ConsumptionDays = null,
    int? ReviewDelayDays = null)
{
    /// <summary>Nothing set.</summary>
    public static MarketingAttributes None { get; } = new();

    /// <summary>True when nothing is set.</summary>
    public bool IsEmpty => ComplementaryProductIds is not { Count: > 0 } && UpsellProductIds is not { Count: > 0 } && ConsumptionDays is null && ReviewDelayDays is null;
}

/// <summary>Where an effective marketing attribute came from.</summary>
public enum AttributeSource
{
    /// <summary>Nothing sets it.</summary>
    None,

    /// <summary>Set on the product itself.</summary>
    Product,

    /// <summary>Set on the product's type by the shop.</summary>
    ProductType,

    /// <summary>Nudge's built-in default for this kind of product (<see cref="ReviewDelayDefaults"/>).</summary>
    Default,
}

/// <summary>An effective attribute value and where it came from.</summary>
/// <param name="Value">The value (null when nothing sets it).</param>
/// <param name="Source">Where it came from.</param>
public sealed record Resolved<T>(T? Value, AttributeSource Source);

/// <summary>The effective marketing attributes of one product.</summary>
/// <param name="ComplementaryProductIds">Cross-sell products.</param>
/// <param name="UpsellProductIds">Upsell products.</param>
/// <param name="ConsumptionDays">Days one unit lasts.</param>
/// <param name="ReviewDelayDays">Days after delivery to ask for a review.</param>
public sealed record EffectiveMarketing(
    Resolved<IReadOnlyList<string>> ComplementaryProductIds,
    Resolved<IReadOnlyList<string>> UpsellProductIds,
    Resolved<int?> ConsumptionDays,
    Resolved<int?> ReviewDelayDays);
