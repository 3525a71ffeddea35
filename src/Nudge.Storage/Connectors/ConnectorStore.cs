using System.Data.Common;
using Nudge.Core.Connectors;

namespace Nudge.Storage.Connectors;

/// <summary>The shop connectors of each workspace. Deleting one also forgets its deliveries.</summary>
public sealed class ConnectorStore(Database database, TimeProvider time)
{
    private const string Columns = "id, workspace_id, platform, shop_domain, secret, admin_access_token, created_at";

    public async Task<Connector> CreateAsync(string workspaceId, ConnectorDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var connector = new Connector(
            "con_" + Guid.CreateVersion7().ToString("N"), workspaceId, draft.Platform, draft.ShopDomain, draft.Secret, draft.AdminAccessToken,
            DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds()));
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            $"INSERT INTO connectors ({Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)",
            ct, connector.Id, workspaceId, draft.Platform.Name(), draft.ShopDomain, draft.Secret, draft.AdminAccessToken,
            connector.CreatedAt.ToUnixTimeMilliseconds());
        return connector;
    }

    /// <summary>The connector with this id in this workspace, or null.</summary>
    public async Task<Connector?> GetAsync(string workspaceId, string connectorId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await ReadAsync(connection, $"SELECT {Columns} FROM connectors WHERE id = @p0 AND workspace_id = @p1", ct, connectorId, workspaceId);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>A connector by id alone, for its webhook URL (the id tells the workspace).</summary>
    public async Task<Connector?> FindAsync(string connectorId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await ReadAsync(connection, $"SELECT {Columns} FROM connectors WHERE id = @p0", ct, connectorId);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>The connectors of a workspace, oldest first.</summary>
    public async Task<IReadOnlyList<Connector>> ListAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadAsync(connection, $"SELECT {Columns} FROM connectors WHERE workspace_id = @p0 ORDER BY created_at, id", ct, workspaceId);
    }

    /// <summary>Deletes a connector with its deliveries and remembered event ids; true when it existed.</summary>
    public async Task<bool> DeleteAsync(string workspaceId, string connectorId, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var delete = connection.Command("DELETE FROM connectors WHERE id = @p0 AND workspace_id = @p1", connectorId, workspaceId);
        delete.Transaction = transaction;
        if (await delete.ExecuteNonQueryAsync(ct) == 0)
            return false;
        foreach (var table in new[] { "connector_deliveries", "connector_event_ids", "connector_orders", "connector_inventory_items" })
        {
            await using var command = connection.Command($"DELETE FROM {table} WHERE connector_id = @p0", connectorId);
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return true;
    }

    private static async Task<List<Connector>> ReadAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var found = new List<Connector>();
        while (await reader.ReadAsync(ct))
        {
            found.Add(new Connector(
                reader.GetString(0), reader.GetString(1), ShopPlatforms.Parse(reader.GetString(2)) ?? throw new InvalidDataException("unknown platform " + reader.GetString(2)),
                reader.GetString(3), reader.GetString(4), reader.NullableString(5), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
        }
        return found;
    }
}
