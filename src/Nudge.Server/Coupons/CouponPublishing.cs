using Nudge.Storage.Connectors;
using Nudge.Storage.Coupons;

namespace Nudge.Server.Coupons;

/// <summary>
/// Pushes a pool's codes that the shop does not have yet through the pool's connector, in batches, and records
/// which ones the shop has (so a retry sends only the rest) and the last error on the pool (shown as an alert).
/// </summary>
public sealed class CouponPublishing(CouponStore coupons, ConnectorStore connectors, IEnumerable<IShopCoupons> adapters)
{
    /// <summary>The most codes one call pushes (the rest wait for the next call).</summary>
    public const int MaxPerCall = 10_000;

    /// <summary>Publishes; the outcome, or the reason nothing could be published.</summary>
    public async Task<(PublishOutcome? Outcome, string? Problem)> PublishAsync(CouponPool pool, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Settings.ConnectorId is not { } connectorId)
            return (null, "the pool names no connector; set its connector first");
        if (await connectors.GetAsync(pool.WorkspaceId, connectorId, ct) is not { } connector)
            return (null, $"no connector '{connectorId}' in this workspace");
        if (adapters.FirstOrDefault(a => a.Platform == connector.Platform) is not { } adapter)
            return (null, $"Nudge cannot create codes in {connector.Platform} shops yet (Shopify only)");

        var published = 0;
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        var reference = pool.ShopReference;
        try
        {
            while (published + failed.Count < MaxPerCall)
            {
                var batch = (await coupons.UnpublishedAsync(pool.Id, ShopifyCoupons.BatchSize + failed.Count, ct))
                    .Where(c => !failed.ContainsKey(c)).Take(ShopifyCoupons.BatchSize).ToList();
                if (batch.Count == 0 && reference is not null)
                    break;
                var result = await adapter.PublishAsync(connector, pool with { ShopReference = reference }, batch, ct);
                if (reference is null)
                    await coupons.SetPublishStateAsync(pool.Id, result.ShopReference, null, ct);
                reference = result.ShopReference;
                await coupons.MarkPublishedAsync(pool.Id, result.Published, ct);
                published += result.Published.Count;
                foreach (var (code, reason) in result.Failed)
                    failed[code] = reason;
                if (batch.Count == 0)
                    break;
            }
        }
        catch (ShopApiException ex)
        {
            await coupons.SetPublishStateAsync(pool.Id, reference, ex.Message, ct);
            return (new PublishOutcome(published, failed, reference, ex.Message), null);
        }
        var error = failed.Count == 0 ? null : $"the shop refused {failed.Count} codes";
        await coupons.SetPublishStateAsync(pool.Id, reference, error, ct);
        return (new PublishOutcome(published, failed, reference, error), null);
    }
}

/// <summary>What a push to the shop did.</summary>
/// <param name="Published">Codes the shop has now that it did not have before this call.</param>
/// <param name="Failed">Codes the shop refused, with its reason.</param>
/// <param name="ShopReference">The shop's id of the pool's discount.</param>
/// <param name="Error">What went wrong, if anything (the pool's alert shows it until a push succeeds).</param>
public sealed record PublishOutcome(int Published, IReadOnlyDictionary<string, string> Failed, string? ShopReference, string? Error);
