using System.Globalization;
using System.Text.Json.Nodes;
using Nudge.Core.Coupons;
using Nudge.Storage.Coupons;

namespace Nudge.Server.Coupons;

/// <summary>
/// The <c>coupon</c> a message's templates see: the code the message's flow run was given last, with what it gives
/// (<c>code</c>, <c>value</c>, <c>type</c>, <c>currency</c>, <c>expires_at</c>, <c>description</c>, <c>pool_id</c>, <c>pool_name</c>).
/// </summary>
public sealed class RunCoupons(CouponStore store)
{
    /// <summary>The coupon of the run, or null when it was given none.</summary>
    public async Task<JsonObject?> ForRunAsync(string workspaceId, string? runId, CancellationToken ct)
    {
        if (runId is null || await store.ForRunAsync(workspaceId, runId, ct) is not { } coupon)
            return null;
        var pool = await store.GetPoolAsync(workspaceId, coupon.PoolId, ct);
        var s = pool?.Settings;
        return new JsonObject
        {
            ["code"] = coupon.Code,
            ["value"] = s?.Amount,
            ["type"] = s is null ? null : CouponTypes.Name(s.Type),
            ["currency"] = s?.Currency,
            ["expires_at"] = coupon.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture),
            ["description"] = s?.Description,
            ["pool_id"] = coupon.PoolId,
            ["pool_name"] = s?.Name,
        };
    }
}
