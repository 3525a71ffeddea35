using Nudge.Core.Coupons;
using Nudge.Storage.Coupons;

namespace Nudge.Server.Coupons;

/// <summary>A coupon pool as the admin API shows it: its settings, how its codes stand, and its alerts.</summary>
public sealed record CouponPoolView(
    string Id,
    string Name,
    string? Description,
    string Type,
    decimal? Amount,
    string? Currency,
    ValidityView Validity,
    int UsageLimit,
    int LowThreshold,
    string? Connector,
    string? ShopReference,
    CouponStatsView Stats,
    bool Low,
    IReadOnlyList<CouponAlert> Alerts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static CouponPoolView Of(CouponPool pool, CouponPoolStats stats, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(stats);
        var s = pool.Settings;
        var alerts = CouponAlert.Of(pool, stats, now);
        return new CouponPoolView(pool.Id, s.Name, s.Description, CouponTypes.Name(s.Type), s.Amount, s.Currency,
            new ValidityView(s.Validity.From, s.Validity.Until, s.Validity.DaysAfterAssignment), s.UsageLimit, s.LowThreshold, s.ConnectorId,
            pool.ShopReference, new CouponStatsView(stats.Total, stats.Available, stats.Assigned, stats.Redeemed, stats.Expired, stats.Unpublished),
            alerts.Any(a => a.Kind is "low" or "empty"), alerts, pool.CreatedAt, pool.UpdatedAt);
    }
}

/// <summary>When codes may be used: absolute dates and/or days after assignment.</summary>
public sealed record ValidityView(DateTimeOffset? From, DateTimeOffset? Until, int? Days);

/// <summary>How a pool's codes stand.</summary>
public sealed record CouponStatsView(long Total, long Available, long Assigned, long Redeemed, long Expired, long Unpublished);

/// <summary>
/// Something about a pool that needs the shop owner: <c>low</c> (at most the threshold left), <c>empty</c> (none
/// left: flows go on without a code), <c>ended</c> (past its end date) or <c>publish</c> (the last push to the shop failed).
/// </summary>
public sealed record CouponAlert(string PoolId, string PoolName, string Kind, string Message)
{
    public static IReadOnlyList<CouponAlert> Of(CouponPool pool, CouponPoolStats stats, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(stats);
        var s = pool.Settings;
        var alerts = new List<CouponAlert>();
        if (s.Validity.HasEnded(now))
            alerts.Add(new(pool.Id, s.Name, "ended", $"the pool ended at {s.Validity.Until:u}; it gives out no more codes"));
        else if (stats.Available == 0)
            alerts.Add(new(pool.Id, s.Name, "empty", "no codes left: coupon steps go on without a code; add or generate codes"));
        else if (stats.Available <= s.LowThreshold)
            alerts.Add(new(pool.Id, s.Name, "low", $"{stats.Available} codes left (alert at {s.LowThreshold}); add or generate codes"));
        if (pool.PublishError is { } error)
            alerts.Add(new(pool.Id, s.Name, "publish", "the last push to the shop failed: " + error));
        return alerts;
    }
}

/// <summary>A code given to a person, with what it gives.</summary>
public sealed record CouponView(
    string Code, string PoolId, string PoolName, string Status, string Type, decimal? Value, string? Currency,
    DateTimeOffset AssignedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RedeemedAt, string ProfileId, string? RunId)
{
    public static CouponView Of(AssignedCoupon coupon, CouponPool? pool, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(coupon);
        var s = pool?.Settings;
        return new CouponView(coupon.Code, coupon.PoolId, s?.Name ?? "", coupon.Status(now), s is null ? "" : CouponTypes.Name(s.Type),
            s?.Amount, s?.Currency, coupon.AssignedAt, coupon.ExpiresAt, coupon.RedeemedAt, coupon.ProfileId, coupon.RunId);
    }
}

/// <summary>One code of a pool in the code list.</summary>
public sealed record PoolCodeView(string Code, string Status, string? ProfileId, DateTimeOffset? AssignedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RedeemedAt, DateTimeOffset? PublishedAt);

/// <summary>A page of a pool's codes; <c>next</c> is the <c>after</c> of the next page.</summary>
public sealed record PoolCodesPage(IReadOnlyList<PoolCodeView> Codes, string? Next);

/// <summary>What an upload did: codes added, codes the file had twice, codes the pool had already, lines that were not codes.</summary>
public sealed record CodeUploadView(int Added, IReadOnlyList<UploadedCode> RepeatedInFile, IReadOnlyList<string> AlreadyInPool, IReadOnlyList<RejectedLine> Invalid);

/// <summary>What a generation did.</summary>
public sealed record GeneratedCodesView(int Added, string Pattern);

/// <summary>What a push to the shop did.</summary>
public sealed record PublishView(int Published, IReadOnlyDictionary<string, string> Failed, string? ShopReference, string? Error);
