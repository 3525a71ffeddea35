using Microsoft.Extensions.Logging;
using Nudge.Storage.Coupons;

namespace Nudge.Engine.Coupons;

/// <summary>
/// Gives people codes (for flow steps and the admin API) and raises the pool's alert when an assignment leaves it
/// running low or empty: a warning in the log, next to the <c>low</c> flag and <c>alerts</c> of the pool's API view.
/// </summary>
public sealed partial class CouponAssigner(CouponStore store, ILogger<CouponAssigner> logger)
{
    /// <summary>Assigns under <paramref name="key"/> (the same key gets the same code back).</summary>
    public async Task<CouponAssignment> AssignAsync(string workspaceId, string poolId, string profileId, string key, string? runId, CancellationToken ct)
    {
        var result = await store.AssignAsync(workspaceId, poolId, profileId, key, runId, ct);
        if (result.Coupon is null)
        {
            Log.NotAssigned(logger, poolId, workspaceId, result.Refusal ?? "unknown");
        }
        else if (result.IsNew && await store.GetPoolAsync(workspaceId, poolId, ct) is { } pool && result.AvailableAfter <= pool.Settings.LowThreshold)
        {
            // Counted up to the threshold only, so this says "at most N left" exactly when it matters.
            Log.RunningLow(logger, pool.Settings.Name, poolId, workspaceId, result.AvailableAfter, pool.Settings.LowThreshold);
        }
        return result;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1801, Level = LogLevel.Warning,
            Message = "Coupon pool {Name} ({PoolId}, workspace {WorkspaceId}) is running low: {Available} codes left (alert at {Threshold}); add or generate codes")]
        public static partial void RunningLow(ILogger logger, string name, string poolId, string workspaceId, long available, int threshold);

        [LoggerMessage(EventId = 1802, Level = LogLevel.Warning,
            Message = "No coupon from pool {PoolId} (workspace {WorkspaceId}): {Reason}")]
        public static partial void NotAssigned(ILogger logger, string poolId, string workspaceId, string reason);
    }
}
