using Nudge.Core.Connectors;
using Nudge.Storage.Connectors;

namespace Nudge.Server.Connectors;

/// <summary>A connector as the API shows it: never its secret or access token.</summary>
/// <param name="Id">Connector id (<c>con_...</c>).</param>
/// <param name="Platform"><c>shopify</c>, <c>woocommerce</c> or <c>shopware</c>.</param>
/// <param name="ShopDomain">The shop's domain.</param>
/// <param name="WebhookUrl">The exact URL to register in the shop for every topic.</param>
/// <param name="Topics">The topics to register, and what each becomes in Nudge.</param>
/// <param name="HasAdminAccessToken">True when an admin API token was given (for pushing coupon codes to the shop).</param>
/// <param name="CreatedAt">Creation time.</param>
public sealed record ConnectorView(
    string Id, string Platform, string ShopDomain, string WebhookUrl, IReadOnlyList<ShopTopic> Topics, bool HasAdminAccessToken, DateTimeOffset CreatedAt)
{
    public static ConnectorView Of(Connector c, string publicBase) => new(
        c.Id, c.Platform.Name(), c.ShopDomain, $"{publicBase}/webhooks/{c.Platform.Name()}/{c.Id}", ShopTopics.For(c.Platform),
        c.AdminAccessToken is not null, c.CreatedAt);
}

/// <summary>What an admin sends to connect a shop.</summary>
/// <param name="Platform"><c>shopify</c>, <c>woocommerce</c> or <c>shopware</c>.</param>
/// <param name="Secret">
/// The secret the shop signs webhooks with: Shopify's app API secret key, the WooCommerce webhook's secret, or the shop secret a
/// Shopware app handed the shop at registration.
/// </param>
/// <param name="ShopDomain">The shop's domain, e.g. <c>example.myshopify.com</c>.</param>
/// <param name="AdminAccessToken">Optional: a Shopify Admin API access token, used to create coupon codes in the shop.</param>
public sealed record ConnectorRequest(string Platform, string Secret, string ShopDomain, string? AdminAccessToken = null);

/// <summary>A webhook delivery as the API shows it (without the body).</summary>
/// <param name="Id">Delivery id (<c>dlv_...</c>).</param>
/// <param name="Topic">The shop's topic.</param>
/// <param name="DeliveryKey">The shop's delivery id, or <c>sha256:</c> and a hash of the body when the shop sends none.</param>
/// <param name="Status"><c>pending</c>, <c>processing</c>, <c>processed</c>, <c>ignored</c> or <c>failed</c>.</param>
/// <param name="Attempts">How many times processing was started.</param>
/// <param name="Events">How many events it added to the event log.</param>
/// <param name="Error">Why the last attempt failed, or why it was ignored.</param>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="FinishedAt">When it was processed, ignored or given up on.</param>
/// <param name="NextAttemptAt">When a pending delivery is tried (again).</param>
public sealed record DeliveryView(
    string Id, string Topic, string DeliveryKey, string Status, int Attempts, int Events, string? Error,
    DateTimeOffset ReceivedAt, DateTimeOffset? FinishedAt, DateTimeOffset? NextAttemptAt)
{
    public static DeliveryView Of(ShopDelivery d) => new(
        d.Id, d.Topic, d.DeliveryKey, d.Status, d.Attempts, d.Events, d.Error, d.ReceivedAt, d.FinishedAt,
        d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null);
}

/// <summary>What a webhook request got: the delivery it was stored as, and whether the shop had sent it before.</summary>
/// <param name="DeliveryId">The stored delivery.</param>
/// <param name="Duplicate">True when this delivery was received before; nothing new was stored.</param>
public sealed record WebhookReceipt(string DeliveryId, bool Duplicate);
