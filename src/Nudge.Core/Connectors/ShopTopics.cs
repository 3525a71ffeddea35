namespace Nudge.Core.Connectors;

/// <summary>A webhook topic a shop should send, and what Nudge makes of it.</summary>
/// <param name="Topic">The topic as the shop names it.</param>
/// <param name="MapsTo">What it becomes in Nudge.</param>
public sealed record ShopTopic(string Topic, string MapsTo);

/// <summary>The topics each platform's connector maps; the admin API and the docs list them for registering.</summary>
public static class ShopTopics
{
    private static readonly IReadOnlyList<ShopTopic> _shopify =
    [
        new("orders/create", "Order Completed"),
        new("orders/paid", "Order Paid"),
        new("orders/fulfilled", "Order Fulfilled"),
        new("orders/cancelled", "Order Cancelled"),
        new("refunds/create", "Order Refunded"),
        new("checkouts/create", "Checkout Started"),
        new("checkouts/update", "Checkout Started (once per checkout; later updates refresh the customer's traits)"),
        new("customers/create", "identify (customer id, email, phone, name, marketing consent as traits)"),
        new("customers/update", "identify"),
        new("products/create", "catalog: product and variants"),
        new("products/update", "catalog: product and variants"),
        new("inventory_levels/update", "catalog: inventory of the variant"),
    ];

    private static readonly IReadOnlyList<ShopTopic> _wooCommerce =
    [
        new("order.created", "Checkout Started (pending), Order Completed (processing, on-hold, completed), Order Cancelled, Order Refunded"),
        new("order.updated", "the same, by the order's status; each refund in the order's refunds as Order Refunded"),
        new("customer.created", "identify"),
        new("customer.updated", "identify"),
        new("product.created", "catalog: product"),
        new("product.updated", "catalog: product"),
    ];

    private static readonly IReadOnlyList<ShopTopic> _shopware =
    [
        new("checkout.order.placed", "Order Completed"),
        new("state_enter.order.state.cancelled", "Order Cancelled"),
        new("state_enter.order_transaction.state.paid", "Order Paid"),
        new("state_enter.order_transaction.state.refunded", "Order Refunded (full)"),
        new("state_enter.order_delivery.state.shipped", "Order Fulfilled"),
        new("checkout.customer.register", "identify"),
        new("customer.written", "identify (customer id only: Shopware sends ids, not the customer)"),
        new("product.written", "catalog: product changed (Shopware sends ids, not the product)"),
    ];

    /// <summary>The topics to register for a platform, in the order the docs list them.</summary>
    public static IReadOnlyList<ShopTopic> For(ShopPlatform platform) => platform switch
    {
        ShopPlatform.Shopify => _shopify,
        ShopPlatform.WooCommerce => _wooCommerce,
        ShopPlatform.Shopware => _shopware,
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };
}
