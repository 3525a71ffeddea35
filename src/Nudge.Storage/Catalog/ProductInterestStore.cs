using System.Data.Common;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;

namespace Nudge.Storage.Catalog;

/// <summary>
/// The product-interest index: per (product, profile) when the person last viewed it, last carted it, and last
/// viewed it while it was sold out. Kept from the event log by a tailer, read to find the audience of a price drop
/// or a restock without scanning the log (ADR 0015).
/// </summary>
public sealed class ProductInterestStore(Database database)
{
    /// <summary>Events of interest to the index, read by name from the log in sequence order.</summary>
    private static readonly string[] Names = ["Product Viewed", "Product Added", "Back In Stock Requested"];

    /// <summary>
    /// The interesting events with a sequence in (<paramref name="afterSequence"/>, <paramref name="throughSequence"/>],
    /// in log order: a bounded stretch of the log, so a quiet stretch still moves the tailer on.
    /// </summary>
    public async Task<IReadOnlyList<LoggedEvent>> ReadEventsAsync(long afterSequence, long throughSequence, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT seq, workspace_id, profile_id, message_id, type, name, timestamp, received_at, key_kind, body FROM events " +
            "WHERE seq > @p0 AND seq <= @p1 AND name IN (@p2, @p3, @p4) ORDER BY seq",
            afterSequence, throughSequence, Names[0], Names[1], Names[2]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var events = new List<LoggedEvent>();
        while (await reader.ReadAsync(ct))
        {
            events.Add(new LoggedEvent(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), (MessageType)reader.GetInt64(4),
                reader.NullableString(5), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                (KeyKind)reader.GetInt64(8), reader.Json(9), EventIdentity.None));
        }
        return events;
    }

    /// <summary>The newest sequence in the log (0 when empty).</summary>
    public async Task<long> LastSequenceAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarAsync<long?>("SELECT MAX(seq) FROM events", ct) ?? 0;
    }

    /// <summary>
    /// Rows written per write turn. The turn is shared with the event log and the flow engine's run moves: a few hundred
    /// upserts in one transaction held it for 15-40 ms at 5,000 events/s, and a message waited that long for its commit.
    /// </summary>
    private const int RowsPerTurn = 64;

    /// <summary>
    /// Records interest and restock requests, and where the tailer got to. Written in short transactions of
    /// <see cref="RowsPerTurn"/> rows; the position moves once all of them are in. Writing a part again after a crash is
    /// harmless: later times win, and a request is kept once.
    /// </summary>
    public async Task RecordAsync(IReadOnlyList<ProductInterest> interest, IReadOnlyList<BackInStockRequest> requests, string cursor, long position, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(interest);
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var part in interest.Chunk(RowsPerTurn))
        {
            await InOwnTurnAsync(async (connection, transaction) =>
            {
                // Later times win and a null leaves what is stored (written out: scalar MAX differs between the providers on nulls).
                await using var upsert = connection.Reusable(transaction,
                    "INSERT INTO product_interest (workspace_id, product_id, profile_id, last_viewed_at, last_carted_at, viewed_out_of_stock_at) " +
                    "VALUES (@p0, @p1, @p2, @p3, @p4, @p5) ON CONFLICT (workspace_id, product_id, profile_id) DO UPDATE SET " +
                    "last_viewed_at = CASE WHEN product_interest.last_viewed_at IS NULL OR excluded.last_viewed_at > product_interest.last_viewed_at THEN COALESCE(excluded.last_viewed_at, product_interest.last_viewed_at) ELSE product_interest.last_viewed_at END, " +
                    "last_carted_at = CASE WHEN product_interest.last_carted_at IS NULL OR excluded.last_carted_at > product_interest.last_carted_at THEN COALESCE(excluded.last_carted_at, product_interest.last_carted_at) ELSE product_interest.last_carted_at END, " +
                    "viewed_out_of_stock_at = CASE WHEN product_interest.viewed_out_of_stock_at IS NULL OR excluded.viewed_out_of_stock_at > product_interest.viewed_out_of_stock_at THEN COALESCE(excluded.viewed_out_of_stock_at, product_interest.viewed_out_of_stock_at) ELSE product_interest.viewed_out_of_stock_at END",
                    6);
                foreach (var i in part)
                    await upsert.RunAsync(ct, i.WorkspaceId, i.ProductId, i.ProfileId, Millis(i.ViewedAt), Millis(i.CartedAt), Millis(i.ViewedOutOfStockAt));
            }, ct);
        }
        foreach (var part in requests.Chunk(RowsPerTurn))
        {
            await InOwnTurnAsync(async (connection, transaction) =>
            {
                await using var request = connection.Reusable(transaction,
                    "INSERT INTO back_in_stock_requests (workspace_id, product_id, variant_id, profile_id, requested_at) VALUES (@p0, @p1, @p2, @p3, @p4) " +
                    "ON CONFLICT (workspace_id, product_id, variant_id, profile_id) DO NOTHING", 5);
                foreach (var r in part)
                    await request.RunAsync(ct, r.WorkspaceId, r.ProductId, r.VariantId ?? "", r.ProfileId, r.RequestedAt.ToUnixTimeMilliseconds());
            }, ct);
        }
        await InOwnTurnAsync((connection, transaction) => CatalogCursors.SetAsync(connection, transaction, cursor, position, ct), ct);
    }

    /// <summary>Runs <paramref name="write"/> in a transaction of its own, in the write turn.</summary>
    private async Task InOwnTurnAsync(Func<DbConnection, DbTransaction, Task> write, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct, derivedData: true);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await write(connection, transaction);
        await transaction.CommitAsync(ct);
    }

    /// <summary>People who viewed or carted the product since <paramref name="since"/>, in profile id order, one page.</summary>
    public async Task<IReadOnlyList<string>> InterestedAsync(string workspaceId, string productId, DateTimeOffset since, string? afterProfile, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT profile_id FROM product_interest WHERE workspace_id = @p0 AND product_id = @p1 AND (last_viewed_at >= @p2 OR last_carted_at >= @p2) " +
            "AND profile_id > @p3 ORDER BY profile_id LIMIT @p4",
            workspaceId, productId, since.ToUnixTimeMilliseconds(), afterProfile ?? "", (long)limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var profiles = new List<string>();
        while (await reader.ReadAsync(ct))
            profiles.Add(reader.GetString(0));
        return profiles;
    }

    /// <summary>The products one person viewed, most recent view first.</summary>
    public async Task<IReadOnlyList<string>> RecentlyViewedAsync(string workspaceId, string profileId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT product_id FROM product_interest WHERE workspace_id = @p0 AND profile_id = @p1 AND last_viewed_at IS NOT NULL " +
            "ORDER BY last_viewed_at DESC LIMIT @p2",
            workspaceId, profileId, (long)limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var products = new List<string>();
        while (await reader.ReadAsync(ct))
            products.Add(reader.GetString(0));
        return products;
    }

    /// <summary>What the index holds about one person and product (null: nothing).</summary>
    public async Task<ProductInterest?> GetAsync(string workspaceId, string productId, string profileId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT last_viewed_at, last_carted_at, viewed_out_of_stock_at FROM product_interest WHERE workspace_id = @p0 AND product_id = @p1 AND profile_id = @p2",
            workspaceId, productId, profileId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        return new ProductInterest(workspaceId, productId, profileId, Time(reader, 0), Time(reader, 1), Time(reader, 2));
    }

    /// <summary>Forgets everything about these profiles (GDPR erasure).</summary>
    public async Task ForgetAsync(string workspaceId, IReadOnlyList<string> profileIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(profileIds);
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        foreach (var profileId in profileIds)
        {
            await connection.ExecuteAsync("DELETE FROM product_interest WHERE workspace_id = @p0 AND profile_id = @p1", ct, workspaceId, profileId);
            await connection.ExecuteAsync("DELETE FROM back_in_stock_requests WHERE workspace_id = @p0 AND profile_id = @p1", ct, workspaceId, profileId);
            await connection.ExecuteAsync(
                "DELETE FROM back_in_stock_audience WHERE profile_id = @p1 AND restock_id IN (SELECT id FROM back_in_stock_restocks WHERE workspace_id = @p0)",
                ct, workspaceId, profileId);
        }
    }

    private static object? Millis(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    private static DateTimeOffset? Time(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

}

/// <summary>Interest of one person in one product; null times leave what is stored.</summary>
/// <param name="WorkspaceId">The shop.</param>
/// <param name="ProductId">The product (as events name it in <c>product_id</c>).</param>
/// <param name="ProfileId">The person.</param>
/// <param name="ViewedAt">A view.</param>
/// <param name="CartedAt">An add to cart.</param>
/// <param name="ViewedOutOfStockAt">A view while the product was sold out.</param>
public sealed record ProductInterest(
    string WorkspaceId, string ProductId, string ProfileId, DateTimeOffset? ViewedAt, DateTimeOffset? CartedAt, DateTimeOffset? ViewedOutOfStockAt);

/// <summary>A person asked to be told when a product (or one variant) is back in stock.</summary>
/// <param name="WorkspaceId">The shop.</param>
/// <param name="ProductId">The product.</param>
/// <param name="VariantId">The variant, or null for any.</param>
/// <param name="ProfileId">The person.</param>
/// <param name="RequestedAt">When they asked.</param>
public sealed record BackInStockRequest(string WorkspaceId, string ProductId, string? VariantId, string ProfileId, DateTimeOffset RequestedAt);
