namespace Nudge.Channels.Templates.Blocks;

/// <summary>
/// The product lists a template reads as <c>products.&lt;feed&gt;</c> (and <c>recommendations</c>), each product
/// with <c>product_id</c>, <c>name</c>, <c>price</c>, <c>compare_at_price</c>, <c>currency</c>, <c>url</c>,
/// <c>image_url</c>, <c>in_stock</c>, ... from the shop's catalog.
/// </summary>
public static class ProductFeeds
{
    /// <summary>The products of the event that started the run: the cart, the order, the viewed product.</summary>
    public const string Trigger = "trigger";

    /// <summary>What the recipient viewed lately, newest first.</summary>
    public const string Viewed = "viewed";

    /// <summary>Products the catalog says go with the trigger's products (cross-sell).</summary>
    public const string CrossSell = "cross_sell";

    /// <summary>Better or bigger products the catalog suggests instead of the trigger's products (upsell).</summary>
    public const string Upsell = "upsell";

    /// <summary>The shop's newest products in stock.</summary>
    public const string NewArrivals = "new_arrivals";

    /// <summary>Nudge's pick: cross-sell, then recently viewed, then new arrivals; in stock, without the trigger's own products.</summary>
    public const string Recommendations = "recommendations";

    /// <summary>Every feed name.</summary>
    public static readonly IReadOnlyList<string> All = [Trigger, Viewed, CrossSell, Upsell, NewArrivals, Recommendations];

    /// <summary>Whether <paramref name="name"/> is a feed.</summary>
    public static bool IsFeed(string name) => All.Contains(name, StringComparer.Ordinal);
}
