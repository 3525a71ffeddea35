using System.Text.Json;
using Nudge.Core.Catalog;

namespace Nudge.Storage.Catalog;

/// <summary>Product signal settings per workspace, and the catalog history in the order it was written, for the signal tailer.</summary>
public sealed class ProductSignalStore(Database database, TimeProvider time)
{
    /// <summary>The workspace's settings (the defaults when it set none).</summary>
    public async Task<ProductSignalSettings> GetSettingsAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var json = await connection.ScalarAsync<string>("SELECT settings FROM catalog_signal_settings WHERE workspace_id = @p0", ct, workspaceId);
        return json is null ? ProductSignalSettings.Default : JsonSerializer.Deserialize<ProductSignalSettings>(json, StorageJson.Options) ?? ProductSignalSettings.Default;
    }

    /// <summary>Replaces the workspace's settings (validate them first).</summary>
    public async Task SetSettingsAsync(string workspaceId, ProductSignalSettings settings, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO catalog_signal_settings (workspace_id, settings, updated_at) VALUES (@p0, @p1, @p2) " +
            "ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
            ct, workspaceId, JsonSerializer.Serialize(settings, StorageJson.Options), time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>The newest price history row (0 when none): where the tailer starts on its first run.</summary>
    public async Task<long> LastPriceRowAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarAsync<long?>("SELECT MAX(id) FROM catalog_price_history", ct) ?? 0;
    }

    /// <summary>The newest inventory history row (0 when none).</summary>
    public async Task<long> LastStockRowAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarAsync<long?>("SELECT MAX(id) FROM catalog_inventory_history", ct) ?? 0;
    }

    /// <summary>Price history rows of every workspace after <paramref name="afterId"/>, in the order they were written.</summary>
    public async Task<IReadOnlyList<(string WorkspaceId, PricePoint Point)>> PriceRowsAfterAsync(long afterId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT id, product_id, variant_id, at, price, compare_at_price, currency, workspace_id FROM catalog_price_history WHERE id > @p0 ORDER BY id LIMIT @p1",
            afterId, (long)limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<(string, PricePoint)>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetString(7), new PricePoint(reader.GetInt64(0), reader.GetString(1), reader.GetString(2) is { Length: > 0 } v ? v : null,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), CatalogStore.ReadMoney(reader, 4), CatalogStore.ReadMoney(reader, 5), reader.NullableString(6))));
        }
        return rows;
    }

    /// <summary>Inventory history rows of every workspace after <paramref name="afterId"/>, each with the row before it of the same product or variant.</summary>
    public async Task<IReadOnlyList<(string WorkspaceId, StockPoint Point, bool? WasInStock)>> StockRowsAfterAsync(long afterId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT h.id, h.product_id, h.variant_id, h.at, h.quantity, h.in_stock, h.workspace_id, " +
            "(SELECT p.in_stock FROM catalog_inventory_history p WHERE p.workspace_id = h.workspace_id AND p.product_id = h.product_id " +
            "AND p.variant_id = h.variant_id AND p.id < h.id ORDER BY p.id DESC LIMIT 1) " +
            "FROM catalog_inventory_history h WHERE h.id > @p0 ORDER BY h.id LIMIT @p1",
            afterId, (long)limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<(string, StockPoint, bool?)>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetString(6), new StockPoint(reader.GetInt64(0), reader.GetString(1), reader.GetString(2) is { Length: > 0 } v ? v : null,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.IsDBNull(4) ? null : (int)reader.GetInt64(4), reader.GetInt64(5) == 1),
                reader.IsDBNull(7) ? null : reader.GetInt64(7) == 1));
        }
        return rows;
    }
}
