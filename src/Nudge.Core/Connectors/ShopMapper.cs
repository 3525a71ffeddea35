using System.Text.Json;

namespace Nudge.Core.Connectors;

/// <summary>
/// Maps a shop's webhook payload to the Segment e-commerce events and catalog changes it stands for. Pure: the same
/// payload always gives the same events with the same message ids, so a delivery processed twice appends nothing new.
/// </summary>
public static class ShopMapper
{
    /// <param name="platform">The shop system.</param>
    /// <param name="shopDomain">The shop's domain, part of every message id (two shops in one workspace never collide).</param>
    /// <param name="topic">The delivery's topic, lower case.</param>
    /// <param name="body">The parsed payload.</param>
    public static ShopMapping Map(ShopPlatform platform, string shopDomain, string topic, JsonElement body) => platform switch
    {
        ShopPlatform.Shopify => ShopifyMapping.Map(new Ids("shopify", shopDomain), topic, body),
        ShopPlatform.WooCommerce => WooCommerceMapping.Map(new Ids("woocommerce", shopDomain), topic, body),
        ShopPlatform.Shopware => ShopwareMapping.Map(new Ids("shopware", shopDomain), topic, body),
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    /// <summary>Message ids of one shop: <c>{platform}:{domain}:{object}:{id}:{what}</c>.</summary>
    internal sealed record Ids(string Platform, string Domain)
    {
        public string Of(string kind, string id, string what) => $"{Platform}:{Domain}:{kind}:{id}:{what}";
    }
}
