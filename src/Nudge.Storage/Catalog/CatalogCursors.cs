using System.Data.Common;

namespace Nudge.Storage.Catalog;

/// <summary>How far each of the catalog's tailers has read (the event log, the price and the inventory history).</summary>
public sealed class CatalogCursors(Database database)
{
    /// <summary>The position of a tailer; null when it never ran.</summary>
    public async Task<long?> GetAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarAsync<long?>("SELECT position FROM catalog_cursors WHERE name = @p0", ct, name);
    }

    /// <summary>Records a tailer's position.</summary>
    public async Task SetAsync(string name, long position, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await SetAsync(connection, transaction, name, position, ct);
        await transaction.CommitAsync(ct);
    }

    internal static async Task SetAsync(DbConnection connection, DbTransaction transaction, string name, long position, CancellationToken ct)
    {
        await using var command = connection.Command(
            "INSERT INTO catalog_cursors (name, position) VALUES (@p0, @p1) ON CONFLICT (name) DO UPDATE SET position = excluded.position", name, position);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(ct);
    }
}
