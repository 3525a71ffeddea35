using Nudge.Core.Coupons;

namespace Nudge.Storage.Coupons;

/// <summary>A stored pool of coupon codes.</summary>
/// <param name="Id">Pool id (<c>cpl_...</c>).</param>
/// <param name="WorkspaceId">The shop.</param>
/// <param name="Settings">What its codes give, how long, how often.</param>
/// <param name="ShopReference">The shop's id of its discount (a Shopify price rule) once published.</param>
/// <param name="PublishError">Why the last push to the shop failed; null after a success.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When its settings last changed.</param>
public sealed record CouponPool(
    string Id, string WorkspaceId, CouponPoolSettings Settings, string? ShopReference, string? PublishError, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>How a pool's codes stand at a moment.</summary>
/// <param name="Total">Every code of the pool.</param>
/// <param name="Available">Codes left to give out.</param>
/// <param name="Assigned">Given to someone, not redeemed, not expired.</param>
/// <param name="Redeemed">Used in the shop.</param>
/// <param name="Expired">Given out and not used in time, or never given out before the pool's end date.</param>
/// <param name="Unpublished">Codes not pushed to the shop yet (only meaningful with a connector).</param>
public sealed record CouponPoolStats(long Total, long Available, long Assigned, long Redeemed, long Expired, long Unpublished);

/// <summary>A code given to a person.</summary>
/// <param name="PoolId">Its pool.</param>
/// <param name="Code">The code as the shop knows it.</param>
/// <param name="ProfileId">Who got it.</param>
/// <param name="AssignmentKey">What asked for it (<c>{run}:{step}</c> for flows); asking again with the key gives the same code.</param>
/// <param name="RunId">The flow run that assigned it, if any.</param>
/// <param name="AssignedAt">When.</param>
/// <param name="ExpiresAt">When it stops being valid; null for never.</param>
/// <param name="RedeemedAt">When it was used; null while not.</param>
public sealed record AssignedCoupon(
    string PoolId, string Code, string ProfileId, string AssignmentKey, string? RunId, DateTimeOffset AssignedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RedeemedAt)
{
    /// <summary>Assigned, redeemed or expired at <paramref name="now"/>.</summary>
    public string Status(DateTimeOffset now) => RedeemedAt is not null ? "redeemed" : ExpiresAt <= now ? "expired" : "assigned";
}

/// <summary>The outcome of an assignment.</summary>
/// <param name="Coupon">The code; null when none could be given (see <paramref name="Refusal"/>).</param>
/// <param name="IsNew">False when the key had its code already.</param>
/// <param name="Refusal">Why no code was given: the pool is unknown, has ended, or has no codes left.</param>
/// <param name="AvailableAfter">Codes left afterwards, counted up to the pool's low threshold + 1 (enough to say whether it runs low).</param>
public sealed record CouponAssignment(AssignedCoupon? Coupon, bool IsNew, string? Refusal, long AvailableAfter);

/// <summary>What adding codes did: how many were new, and which were in the pool already.</summary>
public sealed record CodesAdded(int Added, IReadOnlyList<string> AlreadyInPool);

/// <summary>A code used in the shop for the first time.</summary>
/// <param name="Pool">Its pool.</param>
/// <param name="Code">The code.</param>
/// <param name="AssignedTo">Who it was given to (null for a code never assigned).</param>
/// <param name="RedeemedBy">Whose event redeemed it.</param>
/// <param name="OrderId">The order it was used on, when the event named one.</param>
/// <param name="RedeemedAt">When.</param>
/// <param name="MessageId">The event that redeemed it.</param>
public sealed record CouponRedemption(CouponPool Pool, string Code, string? AssignedTo, string RedeemedBy, string? OrderId, DateTimeOffset RedeemedAt, string MessageId);

/// <summary>One code of a pool as the admin lists it.</summary>
/// <param name="Code">The code.</param>
/// <param name="ProfileId">Who got it; null while available.</param>
/// <param name="AssignedAt">When it was given.</param>
/// <param name="ExpiresAt">When it stops being valid.</param>
/// <param name="RedeemedAt">When it was used.</param>
/// <param name="PublishedAt">When it was pushed to the shop.</param>
public sealed record PoolCode(string Code, string? ProfileId, DateTimeOffset? AssignedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RedeemedAt, DateTimeOffset? PublishedAt);
