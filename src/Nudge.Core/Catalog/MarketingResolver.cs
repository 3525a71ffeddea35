namespace Nudge.Core.Catalog;

/// <summary>
/// Works out a product's effective marketing attributes: what the product sets wins, then what its product type
/// sets, then Nudge's built-in default for the kind of product (the review delay only).
/// </summary>
public static class MarketingResolver
{
    /// <param name="product">The product.</param>
    /// <param name="productType">What the shop set on the product's type (null when nothing).</param>
    public static EffectiveMarketing Resolve(CatalogProduct product, MarketingAttributes? productType)
    {
        ArgumentNullException.ThrowIfNull(product);
        var own = product.Marketing;
        return new EffectiveMarketing(
            List(own.ComplementaryProductIds, productType?.ComplementaryProductIds),
            List(own.UpsellProductIds, productType?.UpsellProductIds),
            Number(own.ConsumptionDays, productType?.ConsumptionDays, null),
            Number(own.ReviewDelayDays, productType?.ReviewDelayDays, ReviewDelayDefaults.For(product.ProductType)));
    }

    private static Resolved<IReadOnlyList<string>> List(IReadOnlyList<string>? own, IReadOnlyList<string>? type) =>
        own is { Count: > 0 } ? new(own, AttributeSource.Product)
        : type is { Count: > 0 } ? new(type, AttributeSource.ProductType)
        : new([], AttributeSource.None);

    private static Resolved<int?> Number(int? own, int? type, int? fallback) =>
        own is not null ? new(own, AttributeSource.Product)
        : type is not null ? new(type, AttributeSource.ProductType)
        : fallback is not null ? new(fallback, AttributeSource.Default)
        : new(null, AttributeSource.None);
}
