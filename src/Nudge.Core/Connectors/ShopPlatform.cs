namespace Nudge.Core.Connectors;

/// <summary>The shop systems Nudge has a connector for; each signs and shapes its webhooks its own way.</summary>
public enum ShopPlatform
{
    Shopify,
    WooCommerce,
    Shopware,
}

/// <summary>The platforms' names as they appear in URLs, requests and the database (lower case).</summary>
public static class ShopPlatforms
{
    public static string Name(this ShopPlatform platform) => platform switch
    {
        ShopPlatform.Shopify => "shopify",
        ShopPlatform.WooCommerce => "woocommerce",
        ShopPlatform.Shopware => "shopware",
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    /// <summary>The platform of a name (case-insensitive), or null for a name Nudge has no connector for.</summary>
    public static ShopPlatform? Parse(string? name) => name?.ToLowerInvariant() switch
    {
        "shopify" => ShopPlatform.Shopify,
        "woocommerce" => ShopPlatform.WooCommerce,
        "shopware" => ShopPlatform.Shopware,
        _ => null,
    };
}
