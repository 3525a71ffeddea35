using System.Globalization;
using Nudge.Core.Catalog;
using Nudge.Core.Connectors;
using Nudge.Core.Ingestion;
using Nudge.Storage.Catalog;
using Nudge.Storage.Connectors;

namespace Nudge.Server.Connectors;

/// <summary>
/// Applies the product changes of shop webhooks to the catalog: products the catalog has are changed in place with what
/// the webhook carries (<see cref="ShopCatalog.Merge"/>), new ones are created, and Shopify inventory levels set the stock
/// of the variant their inventory item belongs to.
/// </summary>
public sealed class ConnectorCatalog(CatalogStore catalog, InventoryItems inventoryItems)
{
    /// <summary>Applies the changes; returns a note for the delivery saying what became of them.</summary>
    public async Task<string> ApplyAsync(Connector connector, IReadOnlyList<ShopProduct> products, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(products);
        var notes = new List<string>();
        var results = new List<CatalogUpsertResult>();

        var items = products
            .Where(p => p.ProductId.Length > 0 && p.VariantId is not null && p.InventoryItemId is not null)
            .GroupBy(p => p.InventoryItemId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new InventoryItemVariant(g.Last().ProductId, g.Last().VariantId!), StringComparer.Ordinal);
        await inventoryItems.RememberAsync(connector.Id, items, ct);

        var incoming = new List<CatalogProduct>();
        foreach (var product in ShopCatalog.Group(products).Select(p => Absolute(p, connector.ShopDomain)))
        {
            if (Problems(product) is { Length: > 0 } problems)
                notes.Add($"product {product.Id} left out: {problems}");
            else
                incoming.Add(product);
        }
        if (incoming.Count > 0)
            results.AddRange(await WriteProductsAsync(connector.WorkspaceId, incoming, ct));

        foreach (var level in products.Where(p => p.ProductId.Length == 0 && p.InventoryItemId is not null))
        {
            if (await inventoryItems.FindAsync(connector.Id, level.InventoryItemId!, ct) is not { } variant)
            {
                notes.Add($"inventory item {level.InventoryItemId} left out: Nudge has not seen a product with it yet");
                continue;
            }
            var missing = false;
            var result = await catalog.ChangeAsync(connector.WorkspaceId, [variant.ProductId], stored =>
            {
                var changed = ShopCatalog.SetStock(stored, variant.VariantId, level.InventoryQuantity ?? 0, level.Available);
                missing = changed is null;
                return changed ?? stored;
            }, ct);
            if (missing || result.Created + result.Updated + result.Unchanged == 0)
                notes.Add($"inventory item {level.InventoryItemId} left out: variant {variant.VariantId} of product {variant.ProductId} is not in the catalog");
            else
                results.Add(result);
        }

        notes.Insert(0, Describe(results));
        return string.Join("; ", notes.Where(n => n.Length > 0));
    }

    /// <summary>
    /// Changes the products the catalog has and creates the others. A product created by someone else between the two
    /// writes is replaced by the webhook's version, which is what it would have been a moment earlier anyway.
    /// </summary>
    private async Task<List<CatalogUpsertResult>> WriteProductsAsync(string workspaceId, List<CatalogProduct> incoming, CancellationToken ct)
    {
        var byId = incoming.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var existing = new HashSet<string>(StringComparer.Ordinal);
        var changed = await catalog.ChangeAsync(workspaceId, [.. byId.Keys], stored =>
        {
            existing.Add(stored.Id);
            return ShopCatalog.Merge(stored, byId[stored.Id]);
        }, ct);
        var created = await catalog.UpsertAsync(workspaceId, [.. incoming.Where(p => !existing.Contains(p.Id)).Select(ShopCatalog.Create)], ct);
        return [changed, created];
    }

    /// <summary>Shopify names product pages by path; the catalog keeps whole addresses.</summary>
    private static CatalogProduct Absolute(CatalogProduct product, string shopDomain)
    {
        string? Whole(string? url) => url is ['/', ..] ? $"https://{shopDomain}{url}" : url;
        return product with
        {
            Url = Whole(product.Url),
            Variants = product.Variants.Select(v => v with { Url = Whole(v.Url) }).ToList(),
        };
    }

    /// <summary>
    /// What the catalog's rules refuse in a product. Shop webhooks name no currency: prices are kept without one until the
    /// currency is set through the catalog API, so that rule alone is not applied here.
    /// </summary>
    private static string Problems(CatalogProduct product)
    {
        var errors = new List<FieldError>();
        CatalogValidation.Validate(ShopCatalog.Create(product), "", errors);
        return string.Join(", ", errors
            .Where(e => !(e.Field == "currency" && product.Currency is null))
            .Select(e => $"{e.Field} {e.Message}"));
    }

    /// <summary>"1 product created, 1 product updated, price of 2 variants changed, stock of 1 variant changed".</summary>
    private static string Describe(List<CatalogUpsertResult> results)
    {
        var updates = results.SelectMany(r => r.Changes).Where(c => !c.Created).ToList();
        var parts = new List<string>();
        void Count(int n, string one, string many, string what)
        {
            if (n > 0)
                parts.Add(string.Format(CultureInfo.InvariantCulture, what, n, n == 1 ? one : many));
        }

        Count(results.Sum(r => r.Created), "product", "products", "{0} {1} created");
        Count(results.Sum(r => r.Updated), "product", "products", "{0} {1} updated");
        Count(results.Sum(r => r.Unchanged), "product", "products", "{0} {1} unchanged");
        Count(updates.Sum(c => c.Prices.Count(p => p.VariantId is null)), "product", "products", "price of {0} {1} changed");
        Count(updates.Sum(c => c.Prices.Count(p => p.VariantId is not null)), "variant", "variants", "price of {0} {1} changed");
        Count(updates.Sum(c => c.Stock.Count(s => s.VariantId is null)), "product", "products", "stock of {0} {1} changed");
        Count(updates.Sum(c => c.Stock.Count(s => s.VariantId is not null)), "variant", "variants", "stock of {0} {1} changed");
        return string.Join(", ", parts);
    }
}
