using Nudge.Core.Connectors;

namespace Nudge.Storage.Connectors;

/// <summary>A shop whose webhooks Nudge receives.</summary>
/// <param name="Id">Connector id (<c>con_...</c>); part of the webhook URL.</param>
/// <param name="WorkspaceId">The Nudge workspace the shop's events go to.</param>
/// <param name="Platform">The shop system.</param>
/// <param name="ShopDomain">The shop's domain (e.g. <c>example.myshopify.com</c>).</param>
/// <param name="Secret">The secret the shop signs its webhooks with (Shopify app secret, WooCommerce webhook secret, Shopware app secret).</param>
/// <param name="AdminAccessToken">A token for calling the shop's admin API (Shopify), e.g. to create coupon codes; null when not given.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record Connector(
    string Id,
    string WorkspaceId,
    ShopPlatform Platform,
    string ShopDomain,
    string Secret,
    string? AdminAccessToken,
    DateTimeOffset CreatedAt);

/// <summary>What an admin gives to create a connector.</summary>
/// <param name="Platform">The shop system.</param>
/// <param name="ShopDomain">The shop's domain.</param>
/// <param name="Secret">The webhook signing secret.</param>
/// <param name="AdminAccessToken">Optional admin API token.</param>
public sealed record ConnectorDraft(ShopPlatform Platform, string ShopDomain, string Secret, string? AdminAccessToken);
