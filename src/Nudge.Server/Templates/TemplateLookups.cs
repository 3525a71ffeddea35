using System.Text.Json.Nodes;
using Nudge.Channels.Templates.Blocks;
using Nudge.Core.Catalog;
using Nudge.Engine.Profiles;
using Nudge.Engine.Segments;
using Nudge.Storage.Catalog;

namespace Nudge.Server.Templates;

/// <summary>
/// What templates can look up about their recipient while they render (<see cref="IRenderLookups"/>): product feeds
/// from the shop's catalog and the person's product interest, and their segments, as the profile grain holds them now.
/// </summary>
public sealed class TemplateLookups(
    CatalogStore catalog, ProductInterestStore interest, ProductTypeStore productTypes, IGrainFactory grains, SegmentCatalog segments)
{
    private CatalogStore Catalog { get; } = catalog;
    private ProductInterestStore Interest { get; } = interest;
    private ProductTypeStore ProductTypes { get; } = productTypes;
    private IGrainFactory Grains { get; } = grains;
    private SegmentCatalog Segments { get; } = segments;

    /// <summary>How many products a feed holds at most (a grid shows at most 24).</summary>
    public const int FeedSize = 24;

    /// <summary>The lookups of one message.</summary>
    /// <param name="workspaceId">The shop.</param>
    /// <param name="profileId">The recipient; null for previews with sample data (no viewed products, no segments).</param>
    /// <param name="trigger">The properties of the event that started the run (its products are the trigger feed); null without one.</param>
    /// <param name="ct">Stops the lookups.</param>
    public IRenderLookups For(string workspaceId, string? profileId, JsonObject? trigger, CancellationToken ct) =>
        new Recipient(this, workspaceId, profileId, trigger, ct);

    private sealed class Recipient(TemplateLookups lookups, string workspaceId, string? profileId, JsonObject? trigger, CancellationToken ct)
        : IRenderLookups
    {
        private readonly Dictionary<string, IReadOnlyList<CatalogProduct>> _feeds = new(StringComparer.Ordinal);
        private IReadOnlyList<JsonObject>? _triggerProducts;

        public async ValueTask<JsonArray> ProductsAsync(string feed)
        {
            if (feed == ProductFeeds.Trigger)
                return [.. (await TriggerProductsAsync()).Select(p => (JsonNode)p.DeepClone())];
            return [.. (await FeedAsync(feed)).Select(p => (JsonNode)ProductJson.Of(p))];
        }

        public async ValueTask<IReadOnlyCollection<string>> SegmentsAsync()
        {
            if (profileId is null)
                return [];
            var byId = lookups.Segments.For(workspaceId).ById;
            var memberships = await lookups.Grains.GetGrain<IProfileGrain>(profileId).GetSegmentsAsync();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var membership in memberships.Where(m => m.IsMember))
            {
                names.Add(membership.SegmentId);
                if (byId.TryGetValue(membership.SegmentId, out var segment))
                    names.Add(segment.Record.Name);
            }
            return names;
        }

        /// <summary>The trigger's products (the cart, the order, or the one product of a view), completed from the catalog.</summary>
        private async Task<IReadOnlyList<JsonObject>> TriggerProductsAsync()
        {
            if (_triggerProducts is not null)
                return _triggerProducts;
            var products = trigger?["products"] is JsonArray list
                ? list.OfType<JsonObject>().Select(p => (JsonObject)p.DeepClone()).ToList()
                : trigger?["product_id"] is not null ? [(JsonObject)trigger.DeepClone()] : [];
            var ids = products.Select(ProductJson.IdOf).OfType<string>().ToList();
            var known = (await lookups.Catalog.GetManyAsync(workspaceId, ids, ct)).ToDictionary(p => p.Id, StringComparer.Ordinal);
            foreach (var product in products)
            {
                if (ProductJson.IdOf(product) is { } id && known.TryGetValue(id, out var listed))
                    ProductJson.Complete(product, listed);
            }
            return _triggerProducts = products;
        }

        private async Task<IReadOnlyList<CatalogProduct>> FeedAsync(string feed)
        {
            if (_feeds.TryGetValue(feed, out var products))
                return products;
            products = feed switch
            {
                ProductFeeds.Viewed => await ViewedAsync(),
                ProductFeeds.CrossSell => await RelatedAsync(m => m.ComplementaryProductIds.Value),
                ProductFeeds.Upsell => await RelatedAsync(m => m.UpsellProductIds.Value),
                ProductFeeds.NewArrivals => await lookups.Catalog.NewestInStockAsync(workspaceId, FeedSize, ct),
                ProductFeeds.Recommendations => await RecommendationsAsync(),
                _ => [],
            };
            return _feeds[feed] = products;
        }

        private async Task<IReadOnlyList<CatalogProduct>> ViewedAsync()
        {
            if (profileId is null)
                return [];
            var ids = await lookups.Interest.RecentlyViewedAsync(workspaceId, profileId, FeedSize, ct);
            return InOrder(ids, await lookups.Catalog.GetManyAsync(workspaceId, ids, ct));
        }

        /// <summary>Products the catalog names beside the trigger's products (cross-sell or upsell), in stock, without the trigger's own.</summary>
        private async Task<IReadOnlyList<CatalogProduct>> RelatedAsync(Func<EffectiveMarketing, IReadOnlyList<string>?> related)
        {
            var own = await TriggerIdsAsync();
            var types = new Dictionary<string, MarketingAttributes?>(StringComparer.OrdinalIgnoreCase);
            var ids = new List<string>();
            foreach (var product in await lookups.Catalog.GetManyAsync(workspaceId, own, ct))
            {
                var type = product.ProductType;
                if (type is not null && !types.ContainsKey(type))
                    types[type] = (await lookups.ProductTypes.GetAsync(workspaceId, type, ct))?.Attributes;
                var marketing = MarketingResolver.Resolve(product, type is null ? null : types[type]);
                ids.AddRange(related(marketing) ?? []);
            }
            ids = [.. ids.Distinct(StringComparer.Ordinal).Where(id => !own.Contains(id))];
            return [.. InOrder(ids, await lookups.Catalog.GetManyAsync(workspaceId, ids, ct)).Where(p => p.InStock).Take(FeedSize)];
        }

        /// <summary>Cross-sell of the trigger's products, then what the person viewed, then new arrivals: in stock, each once, without the trigger's own.</summary>
        private async Task<IReadOnlyList<CatalogProduct>> RecommendationsAsync()
        {
            var own = await TriggerIdsAsync();
            var picked = new List<CatalogProduct>();
            var seen = new HashSet<string>(own, StringComparer.Ordinal);
            foreach (var feed in new[] { ProductFeeds.CrossSell, ProductFeeds.Viewed, ProductFeeds.NewArrivals })
            {
                foreach (var product in await FeedAsync(feed))
                {
                    if (picked.Count < FeedSize && product.InStock && seen.Add(product.Id))
                        picked.Add(product);
                }
                if (picked.Count >= FeedSize)
                    break;
            }
            return picked;
        }

        private async Task<HashSet<string>> TriggerIdsAsync() =>
            new((await TriggerProductsAsync()).Select(ProductJson.IdOf).OfType<string>(), StringComparer.Ordinal);

        private static List<CatalogProduct> InOrder(IReadOnlyList<string> ids, IReadOnlyList<CatalogProduct> products)
        {
            var byId = products.ToDictionary(p => p.Id, StringComparer.Ordinal);
            return [.. ids.Where(byId.ContainsKey).Select(id => byId[id])];
        }
    }
}
