using System.Data.Common;

namespace Nudge.Storage.Catalog;

/// <summary>
/// The durable state of back-in-stock notices: each restock with its audience (taken when it came back) and the
/// waves that tell them, so a restart continues where it stopped and tells nobody twice.
/// </summary>
public sealed class BackInStockStore(Database database)
{
    /// <summary>
    /// People still waiting in an open restock of the same product (@p0 workspace, @p1 product): two variants coming
    /// back together must not tell a person who asked about the product, or viewed it sold out, twice.
    /// </summary>
    private const string Waiting =
        "SELECT a.profile_id FROM back_in_stock_audience a JOIN back_in_stock_restocks r ON r.id = a.restock_id " +
        "WHERE r.workspace_id = @p0 AND r.product_id = @p1 AND r.status = 'open' AND a.notified_at IS NULL";

    /// <summary>
    /// Opens a restock for the inventory row that reported it, with its audience: those who asked about the product
    /// or this variant (first, oldest request first), then those who viewed it sold out since
    /// <paramref name="viewedSince"/>. Null when this row already opened one, or nobody is waiting.
    /// </summary>
    public async Task<BackInStockRestock?> OpenAsync(
        string workspaceId, string productId, string? variantId, long historyId, DateTimeOffset at, DateTimeOffset viewedSince, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var exists = await Scalar(connection, transaction, "SELECT COUNT(*) FROM back_in_stock_restocks WHERE history_id = @p0", ct, historyId);
        if (exists > 0)
            return null;

        var audience = new List<(string Profile, string Reason)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await using (var requests = connection.Command(
            "SELECT profile_id FROM back_in_stock_requests WHERE workspace_id = @p0 AND product_id = @p1 AND (variant_id = '' OR variant_id = @p2) " +
            "AND profile_id NOT IN (" + Waiting + ") ORDER BY requested_at, profile_id", workspaceId, productId, variantId ?? ""))
        {
            requests.Transaction = transaction;
            await using var reader = await requests.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (seen.Add(reader.GetString(0)))
                    audience.Add((reader.GetString(0), "requested"));
            }
        }
        await using (var viewers = connection.Command(
            "SELECT profile_id FROM product_interest WHERE workspace_id = @p0 AND product_id = @p1 AND viewed_out_of_stock_at >= @p2 " +
            "AND profile_id NOT IN (" + Waiting + ") ORDER BY viewed_out_of_stock_at, profile_id", workspaceId, productId, viewedSince.ToUnixTimeMilliseconds()))
        {
            viewers.Transaction = transaction;
            await using var reader = await viewers.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (seen.Add(reader.GetString(0)))
                    audience.Add((reader.GetString(0), "viewed_out_of_stock"));
            }
        }

        await using (var open = connection.Command(
            "INSERT INTO back_in_stock_restocks (workspace_id, product_id, variant_id, history_id, started_at, next_wave_at, waves, status) " +
            "VALUES (@p0, @p1, @p2, @p3, @p4, @p4, 0, @p5)",
            workspaceId, productId, variantId ?? "", historyId, at.ToUnixTimeMilliseconds(), audience.Count == 0 ? "done" : "open"))
        {
            open.Transaction = transaction;
            await open.ExecuteNonQueryAsync(ct);
        }
        var id = await Scalar(connection, transaction, "SELECT id FROM back_in_stock_restocks WHERE history_id = @p0", ct, historyId);
        await using (var add = connection.Reusable(transaction,
            "INSERT INTO back_in_stock_audience (restock_id, profile_id, rank, reason) VALUES (@p0, @p1, @p2, @p3)", 4))
        {
            for (var i = 0; i < audience.Count; i++)
                await add.RunAsync(ct, id, audience[i].Profile, (long)i, audience[i].Reason);
        }
        await transaction.CommitAsync(ct);
        return audience.Count == 0 ? null : new BackInStockRestock(id, workspaceId, productId, variantId, at, at, 0);
    }

    /// <summary>Open restocks whose next wave is due at <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<BackInStockRestock>> DueAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT id, workspace_id, product_id, variant_id, started_at, next_wave_at, waves FROM back_in_stock_restocks " +
            "WHERE status = 'open' AND next_wave_at <= @p0 ORDER BY next_wave_at, id LIMIT @p1", now.ToUnixTimeMilliseconds(), (long)limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var due = new List<BackInStockRestock>();
        while (await reader.ReadAsync(ct))
        {
            due.Add(new BackInStockRestock(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3) is { Length: > 0 } v ? v : null,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), (int)reader.GetInt64(6)));
        }
        return due;
    }

    /// <summary>When the next open restock's wave is due (null: none open).</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarAsync<long?>("SELECT MIN(next_wave_at) FROM back_in_stock_restocks WHERE status = 'open'", ct) is { } at
            ? DateTimeOffset.FromUnixTimeMilliseconds(at)
            : null;
    }

    /// <summary>The next people of a restock not told yet, in audience order.</summary>
    public async Task<IReadOnlyList<(string ProfileId, string Reason)>> NextAudienceAsync(long restockId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT profile_id, reason FROM back_in_stock_audience WHERE restock_id = @p0 AND notified_at IS NULL ORDER BY rank LIMIT @p1", restockId, (long)limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var next = new List<(string, string)>();
        while (await reader.ReadAsync(ct))
            next.Add((reader.GetString(0), reader.GetString(1)));
        return next;
    }

    /// <summary>
    /// Records a wave after its events are in the log: the people told are marked, their requests for the product are
    /// done and their sold-out views cleared; the restock waits for <paramref name="nextWaveAt"/>, or is done when
    /// nobody is left.
    /// </summary>
    public async Task CompleteWaveAsync(BackInStockRestock restock, IReadOnlyList<string> told, DateTimeOffset now, DateTimeOffset nextWaveAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(restock);
        ArgumentNullException.ThrowIfNull(told);
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var mark = connection.Reusable(transaction,
            "UPDATE back_in_stock_audience SET notified_at = @p2 WHERE restock_id = @p0 AND profile_id = @p1", 3))
        await using (var done = connection.Reusable(transaction,
            "DELETE FROM back_in_stock_requests WHERE workspace_id = @p0 AND product_id = @p1 AND (variant_id = '' OR variant_id = @p2) AND profile_id = @p3", 4))
        await using (var clear = connection.Reusable(transaction,
            "UPDATE product_interest SET viewed_out_of_stock_at = NULL WHERE workspace_id = @p0 AND product_id = @p1 AND profile_id = @p2", 3))
        {
            foreach (var profile in told)
            {
                await mark.RunAsync(ct, restock.Id, profile, now.ToUnixTimeMilliseconds());
                await done.RunAsync(ct, restock.WorkspaceId, restock.ProductId, restock.VariantId ?? "", profile);
                await clear.RunAsync(ct, restock.WorkspaceId, restock.ProductId, profile);
            }
        }
        var left = await Scalar(connection, transaction, "SELECT COUNT(*) FROM back_in_stock_audience WHERE restock_id = @p0 AND notified_at IS NULL", ct, restock.Id);
        await using (var update = connection.Command(
            "UPDATE back_in_stock_restocks SET waves = waves + 1, next_wave_at = @p1, status = @p2 WHERE id = @p0",
            restock.Id, nextWaveAt.ToUnixTimeMilliseconds(), left == 0 ? "done" : "open"))
        {
            update.Transaction = transaction;
            await update.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Ends a restock that sold out again before everyone was told: those left keep their requests and sold-out views,
    /// so the next restock tells them first.
    /// </summary>
    public async Task EndAsync(long restockId, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("UPDATE back_in_stock_restocks SET status = 'ended' WHERE id = @p0", ct, restockId);
    }

    /// <summary>A restock as stored (for tests and the API).</summary>
    public async Task<(int Waves, string Status, int Told, int Audience)?> StateAsync(long restockId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT r.waves, r.status, (SELECT COUNT(*) FROM back_in_stock_audience a WHERE a.restock_id = r.id AND a.notified_at IS NOT NULL), " +
            "(SELECT COUNT(*) FROM back_in_stock_audience a WHERE a.restock_id = r.id) FROM back_in_stock_restocks r WHERE r.id = @p0", restockId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ((int)reader.GetInt64(0), reader.GetString(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3)) : null;
    }

    private static async Task<long> Scalar(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        command.Transaction = transaction;
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>A product or variant that came back in stock, with its waves so far.</summary>
/// <param name="Id">The restock.</param>
/// <param name="WorkspaceId">The shop.</param>
/// <param name="ProductId">The product.</param>
/// <param name="VariantId">The variant, or null for the product itself.</param>
/// <param name="StartedAt">When it came back.</param>
/// <param name="NextWaveAt">When the next wave is due.</param>
/// <param name="Waves">Waves sent so far.</param>
public sealed record BackInStockRestock(long Id, string WorkspaceId, string ProductId, string? VariantId, DateTimeOffset StartedAt, DateTimeOffset NextWaveAt, int Waves);
