using System.Text.Json;
using Nudge.Core.Catalog;

namespace Nudge.Storage.Catalog;

/// <summary>Marketing attributes the shop sets per product type (case-insensitive), which its products inherit.</summary>
public sealed class ProductTypeStore(Database database, TimeProvider time)
{
    /// <summary>What is set on a product type; null when nothing is.</summary>
    public async Task<ProductTypeAttributes?> GetAsync(string workspaceId, string productType, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT product_type, attributes, updated_at FROM catalog_product_types WHERE workspace_id = @p0 AND type_key = @p1",
            workspaceId, CatalogStore.Key(productType));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>Every product type with attributes set, by name.</summary>
    public async Task<IReadOnlyList<ProductTypeAttributes>> ListAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT product_type, attributes, updated_at FROM catalog_product_types WHERE workspace_id = @p0 ORDER BY type_key", workspaceId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var types = new List<ProductTypeAttributes>();
        while (await reader.ReadAsync(ct))
            types.Add(Read(reader));
        return types;
    }

    /// <summary>Replaces what is set on a product type.</summary>
    public async Task<ProductTypeAttributes> SetAsync(string workspaceId, string productType, MarketingAttributes attributes, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            await connection.ExecuteAsync(
                "INSERT INTO catalog_product_types (workspace_id, type_key, product_type, attributes, updated_at) VALUES (@p0, @p1, @p2, @p3, @p4) " +
                "ON CONFLICT (workspace_id, type_key) DO UPDATE SET product_type = excluded.product_type, attributes = excluded.attributes, updated_at = excluded.updated_at",
                ct, workspaceId, CatalogStore.Key(productType), productType.Trim(), JsonSerializer.Serialize(attributes, StorageJson.Options), now.ToUnixTimeMilliseconds());
        }
        return new ProductTypeAttributes(productType.Trim(), attributes, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()));
    }

    /// <summary>Removes what is set on a product type (its products fall back to the defaults); true when something was set.</summary>
    public async Task<bool> DeleteAsync(string workspaceId, string productType, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync("DELETE FROM catalog_product_types WHERE workspace_id = @p0 AND type_key = @p1",
            ct, workspaceId, CatalogStore.Key(productType)) == 1;
    }

    private static ProductTypeAttributes Read(System.Data.Common.DbDataReader reader) => new(
        reader.GetString(0),
        JsonSerializer.Deserialize<MarketingAttributes>(reader.GetString(1), StorageJson.Options) ?? MarketingAttributes.None,
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
}

/// <summary>The marketing attributes set on a product type.</summary>
/// <param name="ProductType">The type as the shop spelled it last.</param>
/// <param name="Attributes">What is set.</param>
/// <param name="UpdatedAt">When it was last set.</param>
public sealed record ProductTypeAttributes(string ProductType, MarketingAttributes Attributes, DateTimeOffset UpdatedAt);
