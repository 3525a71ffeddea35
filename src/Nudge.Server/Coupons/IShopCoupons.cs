using Nudge.Core.Connectors;
using Nudge.Storage.Connectors;
using Nudge.Storage.Coupons;

namespace Nudge.Server.Coupons;

/// <summary>
/// Creates a pool's codes in a shop, so the codes people get from Nudge work at the shop's checkout. One
/// implementation per shop platform that has an admin API for discount codes.
/// </summary>
public interface IShopCoupons
{
    /// <summary>The platform this adapter speaks to.</summary>
    ShopPlatform Platform { get; }

    /// <summary>
    /// Creates <paramref name="codes"/> (at most <see cref="ShopifyCoupons.BatchSize"/>) in the shop under the pool's
    /// discount, creating that discount first when <see cref="CouponPool.ShopReference"/> is null.
    /// </summary>
    Task<ShopPublishResult> PublishAsync(Connector connector, CouponPool pool, IReadOnlyList<string> codes, CancellationToken ct);
}

/// <summary>What the shop did with a batch of codes.</summary>
/// <param name="ShopReference">The shop's id of the pool's discount (e.g. the Shopify price rule id).</param>
/// <param name="Published">Codes the shop has now (including codes it already had).</param>
/// <param name="Failed">Codes it refused, with its reason.</param>
public sealed record ShopPublishResult(string ShopReference, IReadOnlyList<string> Published, IReadOnlyDictionary<string, string> Failed);

/// <summary>A shop answered with an error (or not at all); the message says what to fix.</summary>
public sealed class ShopApiException(string message) : Exception(message);
