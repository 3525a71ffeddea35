using Nudge.Core.Connectors;
using Nudge.Storage.Connectors;

namespace Nudge.Server.Connectors;

/// <summary>Applies the product changes of shop webhooks to the catalog.</summary>
public sealed class ConnectorCatalog
{
    /// <summary>Applies the changes; returns a note for the delivery saying what became of them.</summary>
    public Task<string> ApplyAsync(Connector connector, IReadOnlyList<ShopProduct> products, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(products);
        return Task.FromResult($"{products.Count} product change(s) read; the catalog is not connected yet");
    }
}
