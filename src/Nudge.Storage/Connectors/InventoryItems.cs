namespace Nudge.Storage.Connectors;

/// <summary>The catalog variant a shop's inventory item stands for.</summary>
/// <param name="ProductId">The shop's product id.</param>
/// <param name="VariantId">The shop's variant id.</param>
public sealed record InventoryItemVariant(string ProductId, string VariantId);

/// <summary>
/// Which variant each inventory item of a connector's shop belongs to. Shopify's inventory level webhooks name only the
/// inventory item; its product webhooks name the item of every variant, and are remembered here so stock changes find
/// their variant.
/// </summary>
public sealed class InventoryItems(Database database)
{
    /// <summary>Records (or moves) the variant of each inventory item.</summary>
    public async Task RememberAsync(string connectorId, IReadOnlyDictionary<string, InventoryItemVariant> items, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
            return;
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var upsert = connection.Reusable(transaction,
            "INSERT INTO connector_inventory_items (connector_id, inventory_item_id, product_id, variant_id) VALUES (@p0, @p1, @p2, @p3) " +
            "ON CONFLICT (connector_id, inventory_item_id) DO UPDATE SET product_id = excluded.product_id, variant_id = excluded.variant_id", 4);
        foreach (var (itemId, variant) in items)
            await upsert.RunAsync(ct, connectorId, itemId, variant.ProductId, variant.VariantId);
        await transaction.CommitAsync(ct);
    }

    /// <summary>The variant of an inventory item, or null when the connector has not seen a product with it.</summary>
    public async Task<InventoryItemVariant?> FindAsync(string connectorId, string inventoryItemId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT product_id, variant_id FROM connector_inventory_items WHERE connector_id = @p0 AND inventory_item_id = @p1", connectorId, inventoryItemId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new InventoryItemVariant(reader.GetString(0), reader.GetString(1)) : null;
    }
}
