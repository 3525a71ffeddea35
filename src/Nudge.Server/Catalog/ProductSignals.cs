using System.Text.Json;
using Nudge.Core.Catalog;
using Nudge.Core.Ingestion;
using Nudge.Storage.Catalog;
using Nudge.Storage.Events;
using Nudge.Storage.Profiles;

namespace Nudge.Server.Catalog;

/// <summary>
/// The product signals (ADR 0015), one pass at a time: brings the product-interest index up to the end of the event
/// log, turns new price history rows into <c>Price Dropped</c> events for the people interested, opens restocks for
/// new back-in-stock rows, and sends the back-in-stock waves that are due. Each step records where it got to, so a
/// pass after a crash continues there; the events' message ids make a repeated step harmless.
/// </summary>
public sealed class ProductSignals(
    CatalogStore catalog,
    ProductInterestStore interest,
    ProductSignalStore signals,
    BackInStockStore restocks,
    CatalogCursors cursors,
    ProfileStore profiles,
    EventLog log,
    TimeProvider time,
    ILogger<ProductSignals> logger)
{
    public const string InterestCursor = "interest";
    public const string PriceCursor = "price-drops";
    public const string StockCursor = "restocks";

    /// <summary>Log sequence numbers scanned per read of the interest tailer.</summary>
    private const long LogStretch = 10_000;

    private const int Batch = 500;

    /// <summary>Runs one pass; returns when everything that was there at its start is done.</summary>
    public async Task RunOnceAsync(CancellationToken ct)
    {
        await IndexInterestAsync(ct);
        await DetectPriceDropsAsync(ct);
        await OpenRestocksAsync(ct);
        await SendDueWavesAsync(ct);
    }

    /// <summary>When the next back-in-stock wave is due (null: none waiting).</summary>
    public Task<DateTimeOffset?> NextWaveAsync(CancellationToken ct) => restocks.NextDueAsync(ct);

    private async Task IndexInterestAsync(CancellationToken ct)
    {
        var end = await interest.LastSequenceAsync(ct);
        var position = await cursors.GetAsync(InterestCursor, ct) ?? 0;
        while (position < end)
        {
            var through = Math.Min(end, position + LogStretch);
            var events = await interest.ReadEventsAsync(position, through, ct);
            var soldOutViews = await SoldOutViewsAsync(events, ct);
            var rows = new List<ProductInterest>();
            var requests = new List<BackInStockRequest>();
            foreach (var e in events)
            {
                if ((ProductIdOf(e.Body, "product_id") ?? ProductIdOf(e.Body, "id")) is not { } productId)
                    continue;
                switch (e.Name)
                {
                    case CatalogEvents.ProductViewed:
                        var soldOut = soldOutViews.Contains(e.Sequence);
                        rows.Add(new ProductInterest(e.WorkspaceId, productId, e.ProfileId, e.Timestamp, null, soldOut ? e.Timestamp : null));
                        break;
                    case CatalogEvents.ProductAdded:
                        rows.Add(new ProductInterest(e.WorkspaceId, productId, e.ProfileId, null, e.Timestamp, null));
                        break;
                    case CatalogEvents.BackInStockRequested:
                        requests.Add(new BackInStockRequest(e.WorkspaceId, productId, ProductIdOf(e.Body, "variant_id"), e.ProfileId, e.Timestamp));
                        break;
                }
            }
            await interest.RecordAsync(rows, requests, InterestCursor, through, ct);
            position = through;
        }
    }

    /// <summary>
    /// Whether each viewed product was sold out at the moment of its view, from the inventory history (the tailer may
    /// read a view after the product came back). Products not in the catalog are never sold out.
    /// </summary>
    private async Task<HashSet<long>> SoldOutViewsAsync(IReadOnlyList<LoggedEvent> events, CancellationToken ct)
    {
        var soldOut = new HashSet<long>();
        var views = events.Where(e => e.Name == CatalogEvents.ProductViewed)
            .Select(e => (Event: e, ProductId: ProductIdOf(e.Body, "product_id") ?? ProductIdOf(e.Body, "id")))
            .Where(v => v.ProductId is not null)
            .GroupBy(v => (v.Event.WorkspaceId, v.ProductId!));
        foreach (var product in views)
        {
            var since = product.Min(v => v.Event.Timestamp);
            var history = await catalog.InventoryHistoryAsync(product.Key.WorkspaceId, product.Key.Item2, since, ct);
            if (history.Count == 0)
                continue;
            foreach (var (view, _) in product)
            {
                // In stock when any of its stock lines (the product's own, or each variant's) was in stock then.
                var lines = history.Where(h => h.At <= view.Timestamp).GroupBy(h => h.VariantId ?? "").Select(g => g.Last()).ToList();
                if (lines.Count > 0 && lines.All(l => !l.InStock))
                    soldOut.Add(view.Sequence);
            }
        }
        return soldOut;
    }

    private async Task DetectPriceDropsAsync(CancellationToken ct)
    {
        var position = await cursors.GetAsync(PriceCursor, ct) ?? await StartAsync(PriceCursor, signals.LastPriceRowAsync, ct);
        var settings = new Dictionary<string, ProductSignalSettings>(StringComparer.Ordinal);
        while (await signals.PriceRowsAfterAsync(position, Batch, ct) is { Count: > 0 } rows)
        {
            foreach (var (workspaceId, row) in rows)
            {
                if (!settings.TryGetValue(workspaceId, out var s))
                    settings[workspaceId] = s = await signals.GetSettingsAsync(workspaceId, ct);
                if (s.PriceDropEnabled)
                    await PriceDropAsync(workspaceId, row, s, ct);
            }
            position = rows[^1].Point.Id;
            await cursors.SetAsync(PriceCursor, position, ct);
        }
    }

    private async Task PriceDropAsync(string workspaceId, PricePoint row, ProductSignalSettings settings, CancellationToken ct)
    {
        var history = await catalog.PriceHistoryAsync(workspaceId, row.ProductId, row.At.AddDays(-settings.ReferenceDays), ct);
        var before = history.Where(p => p.VariantId == row.VariantId && p.Id < row.Id).Select(p => new PriceObservation(p.At, p.Price, p.Currency)).ToList();
        if (PriceDrops.Detect(before, new PriceObservation(row.At, row.Price, row.Currency), settings) is not { } drop)
            return;
        if (await catalog.GetAsync(workspaceId, row.ProductId, ct) is not { } product)
            return;

        var since = row.At.AddDays(-settings.AudienceDays);
        var now = time.GetUtcNow();
        var told = 0;
        string? after = null;
        while (await interest.InterestedAsync(workspaceId, row.ProductId, since, after, Batch, ct) is { Count: > 0 } page)
        {
            var events = new List<EventToAppend>(page.Count);
            foreach (var profileId in (await SurvivorsAsync(page, ct)).Distinct(StringComparer.Ordinal))
            {
                events.Add(SignalMessages.PriceDropped(workspaceId, profileId,
                    SignalMessages.PriceDropId(workspaceId, row.ProductId, row.VariantId, row.Id, profileId), product, row.VariantId, drop, now));
            }
            var outcomes = await log.AppendAsync(events, ct);
            told += outcomes.Count(o => !o.Duplicate);
            after = page[^1];
        }
        logger.LogInformation("Price of {Product} in {Workspace} dropped {Percent}% below its {Days}-day low; told {Count} people",
            row.ProductId, workspaceId, drop.Percent, settings.ReferenceDays, told);
    }

    private async Task OpenRestocksAsync(CancellationToken ct)
    {
        var position = await cursors.GetAsync(StockCursor, ct) ?? await StartAsync(StockCursor, signals.LastStockRowAsync, ct);
        var settings = new Dictionary<string, ProductSignalSettings>(StringComparer.Ordinal);
        while (await signals.StockRowsAfterAsync(position, Batch, ct) is { Count: > 0 } rows)
        {
            foreach (var (workspaceId, row, wasInStock) in rows)
            {
                if (!row.InStock || wasInStock != false)
                    continue;
                if (!settings.TryGetValue(workspaceId, out var s))
                    settings[workspaceId] = s = await signals.GetSettingsAsync(workspaceId, ct);
                if (s.BackInStockEnabled)
                    await restocks.OpenAsync(workspaceId, row.ProductId, row.VariantId, row.Id, row.At, row.At.AddDays(-s.AudienceDays), ct);
            }
            position = rows[^1].Point.Id;
            await cursors.SetAsync(StockCursor, position, ct);
        }
    }

    private async Task SendDueWavesAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var restock in await restocks.DueAsync(now, Batch, ct))
        {
            var product = await catalog.GetAsync(restock.WorkspaceId, restock.ProductId, ct);
            var variant = restock.VariantId is null ? null : product?.Variants.FirstOrDefault(v => v.Id == restock.VariantId);
            var inStock = variant?.InStock ?? (restock.VariantId is null && product is { Variants.Count: 0 } && product.InStock);
            if (product is null || !inStock)
            {
                // Sold out again (or gone): those left wait for the next restock, first in line.
                await restocks.EndAsync(restock.Id, ct);
                continue;
            }

            var settings = await signals.GetSettingsAsync(restock.WorkspaceId, ct);
            var quantity = variant is not null ? variant.InventoryQuantity : product.InventoryQuantity;
            var left = BackInStockWaves.Size(quantity, settings.WaveFactor);
            var told = new List<string>();
            while (left > 0 && await restocks.NextAudienceAsync(restock.Id, Math.Min(left, Batch), ct) is { Count: > 0 } page)
            {
                var survivors = await SurvivorsAsync(page.Select(p => p.ProfileId).ToList(), ct);
                var events = new List<EventToAppend>(page.Count);
                for (var i = 0; i < page.Count; i++)
                {
                    events.Add(SignalMessages.BackInStock(restock.WorkspaceId, survivors[i],
                        SignalMessages.BackInStockId(restock.WorkspaceId, restock.Id, page[i].ProfileId), product, restock.VariantId, quantity, page[i].Reason, now));
                }
                await log.AppendAsync(events, ct);
                told.AddRange(page.Select(p => p.ProfileId));
                left -= page.Count;
                if (page.Count < Batch)
                    break;
            }
            await restocks.CompleteWaveAsync(restock, told, now, now + settings.WaveInterval, ct);
            logger.LogInformation("{Product} ({Variant}) in {Workspace} is back in stock: wave {Wave} told {Count} people",
                restock.ProductId, restock.VariantId ?? "product", restock.WorkspaceId, restock.Waves + 1, told.Count);
        }
    }

    /// <summary>The profiles that stand for these ids now (a merged profile's survivor), in the same order.</summary>
    private async Task<IReadOnlyList<string>> SurvivorsAsync(IReadOnlyList<string> profileIds, CancellationToken ct)
    {
        var survivors = new string[profileIds.Count];
        for (var i = 0; i < profileIds.Count; i++)
        {
            var id = profileIds[i];
            var profile = await profiles.LoadAsync(id, ct);
            for (var hops = 0; profile?.MergedInto is { } next && hops < 16; hops++)
            {
                id = next;
                profile = await profiles.LoadAsync(next, ct);
            }
            survivors[i] = id;
        }
        return survivors;
    }

    /// <summary>A new tailer starts at the end of its history: changes from before signals existed tell nobody.</summary>
    private async Task<long> StartAsync(string cursor, Func<CancellationToken, Task<long>> last, CancellationToken ct)
    {
        var position = await last(ct);
        await cursors.SetAsync(cursor, position, ct);
        return position;
    }

    private static string? ProductIdOf(JsonElement body, string name) =>
        body.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object &&
        properties.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String when value.GetString() is { Length: > 0 } s => s,
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
