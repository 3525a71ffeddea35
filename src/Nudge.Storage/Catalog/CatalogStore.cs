using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nudge.Core.Catalog;

namespace Nudge.Storage.Catalog;

/// <summary>
/// The product catalog of each workspace (ADR 0015): bulk upserts that write only what changed, with price and
/// inventory history appended exactly when a price or stock changes, and search over the stored products.
/// </summary>
public sealed class CatalogStore(Database database, TimeProvider time, CatalogSignal signal)
{
    /// <summary>Products read or written per statement (keeps parameter lists small on both providers).</summary>
    private const int Chunk = 200;

    // One lock for every catalog writer (PostgreSQL): history ids then commit in order, so the signal tailer,
    // which follows the ids, never passes a row still being written. Catalog writes are rare next to events.
    private const long WriterLock = 0x4e7564676543;

    /// <summary>A store without a signal tailer to wake (tools and tests).</summary>
    public CatalogStore(Database database, TimeProvider time)
        : this(database, time, new CatalogSignal())
    {
    }

    /// <summary>
    /// Creates or replaces the products (validate them first: <see cref="CatalogValidation"/>). A product sent exactly
    /// as stored is left alone; a price or stock that differs from the stored one appends a history row. Products are
    /// matched by id; when one id comes twice in <paramref name="products"/>, the last one wins.
    /// </summary>
    public Task<CatalogUpsertResult> UpsertAsync(string workspaceId, IReadOnlyList<CatalogProduct> products, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(products);
        return WriteAsync(workspaceId, products.Select(p => p.Id).ToList(), _ => products, ct);
    }

    /// <summary>
    /// Changes stored products in place, atomically: <paramref name="change"/> gets each stored product (as the shop
    /// last sent it) and returns it changed, inside the write, so two partial updates (a shop's stock webhook and a
    /// price feed) cannot overwrite each other. Ids not in the catalog are skipped. Stock and price changes are
    /// recorded as for <see cref="UpsertAsync"/>; validate what the change sets.
    /// </summary>
    public Task<CatalogUpsertResult> ChangeAsync(
        string workspaceId, IReadOnlyList<string> productIds, Func<CatalogProduct, CatalogProduct> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(productIds);
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(workspaceId, productIds, stored => productIds
            .Distinct(StringComparer.Ordinal)
            .Where(stored.ContainsKey)
            .Select(id => change(stored[id]) is { } changed && changed.Id == id
                ? changed
                : throw new InvalidOperationException($"a change of product '{id}' must keep its id"))
            .ToList(), ct);
    }

    private async Task<CatalogUpsertResult> WriteAsync(
        string workspaceId, IReadOnlyList<string> ids, Func<IReadOnlyDictionary<string, CatalogProduct>, IReadOnlyList<CatalogProduct>> decide, CancellationToken ct)
    {
        if (ids.Count == 0)
            return CatalogUpsertResult.Empty;

        int created = 0, updated = 0, unchanged = 0;
        var changes = new List<CatalogChange>();
        var wroteHistory = false;
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            if (!database.IsSqlite)
            {
                await using var lockCommand = connection.Command("SELECT pg_advisory_xact_lock(@p0)", WriterLock);
                lockCommand.Transaction = transaction;
                await lockCommand.ExecuteNonQueryAsync(ct);
            }

            var stored = await LoadStoredAsync(connection, transaction, workspaceId, ids.Distinct(StringComparer.Ordinal).ToList(), ct);
            var products = decide(stored.ToDictionary(s => s.Key, s => s.Value.Product, StringComparer.Ordinal));
            var latest = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < products.Count; i++)
                latest[products[i].Id] = i;
            unchanged = products.Count - latest.Count;
            var now = time.GetUtcNow();
            await using var upsert = connection.Reusable(transaction,
                "INSERT INTO catalog_products (workspace_id, id, title, brand_key, type_key, in_stock, search_text, content, created_at, updated_at) " +
                "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9) " +
                "ON CONFLICT (workspace_id, id) DO UPDATE SET title = excluded.title, brand_key = excluded.brand_key, type_key = excluded.type_key, " +
                "in_stock = excluded.in_stock, search_text = excluded.search_text, content = excluded.content, created_at = excluded.created_at, updated_at = excluded.updated_at",
                10);
            await using var clearTerms = connection.Reusable(transaction, "DELETE FROM catalog_product_terms WHERE workspace_id = @p0 AND product_id = @p1", 2);
            await using var addTerm = connection.Reusable(transaction,
                "INSERT INTO catalog_product_terms (workspace_id, kind, value, product_id) VALUES (@p0, @p1, @p2, @p3) ON CONFLICT DO NOTHING", 4);
            await using var addPrice = connection.Reusable(transaction,
                "INSERT INTO catalog_price_history (workspace_id, product_id, variant_id, at, price, compare_at_price, currency) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)", 7);
            await using var addStock = connection.Reusable(transaction,
                "INSERT INTO catalog_inventory_history (workspace_id, product_id, variant_id, at, quantity, in_stock) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)", 6);

            for (var i = 0; i < products.Count; i++)
            {
                var product = products[i];
                if (latest[product.Id] != i)
                    continue;
                var content = JsonSerializer.Serialize(product, StorageJson.Options);
                var before = stored.GetValueOrDefault(product.Id);
                if (before is not null && string.Equals(before.Content, content, StringComparison.Ordinal))
                {
                    unchanged++;
                    continue;
                }

                var createdAt = product.CreatedAt ?? before?.CreatedAt ?? now;
                var updatedAt = product.UpdatedAt ?? now;
                await upsert.RunAsync(ct, workspaceId, product.Id, product.Title, Key(product.Brand), Key(product.ProductType), product.InStock ? 1L : 0L,
                    SearchText(product), content, createdAt.ToUnixTimeMilliseconds(), updatedAt.ToUnixTimeMilliseconds());
                await clearTerms.RunAsync(ct, workspaceId, product.Id);
                foreach (var (kind, values) in new[] { ("category", product.Categories), ("tag", product.Tags) })
                {
                    foreach (var value in values.Select(Key).Distinct(StringComparer.Ordinal))
                        await addTerm.RunAsync(ct, workspaceId, kind, value, product.Id);
                }

                var prices = PriceChanges(before?.Product, product);
                foreach (var price in prices)
                {
                    var compareAt = price.VariantId is null ? product.CompareAtPrice : product.Variants.First(v => v.Id == price.VariantId).CompareAtPrice;
                    await addPrice.RunAsync(ct, workspaceId, product.Id, price.VariantId ?? "", now.ToUnixTimeMilliseconds(),
                        Money(price.NewPrice), Money(compareAt), price.Currency);
                }
                var stock = StockChanges(before?.Product, product);
                foreach (var change in stock)
                {
                    await addStock.RunAsync(ct, workspaceId, product.Id, change.VariantId ?? "", now.ToUnixTimeMilliseconds(),
                        change.NewQuantity is { } q ? (long)q : null, change.InStock ? 1L : 0L);
                }
                wroteHistory |= prices.Count > 0 || stock.Count > 0;
                if (before is null)
                    created++;
                else
                    updated++;
                changes.Add(new CatalogChange(product.Id, before is null, prices, stock));
            }
            await transaction.CommitAsync(ct);
        }
        if (wroteHistory)
            signal.Notify();
        return new CatalogUpsertResult(created, updated, unchanged, changes);
    }

    /// <summary>A product with its effective created and updated times; null when there is none with this id.</summary>
    public async Task<CatalogProduct?> GetAsync(string workspaceId, string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await ReadAsync(connection, "SELECT content, created_at, updated_at FROM catalog_products WHERE workspace_id = @p0 AND id = @p1", ct, workspaceId, id);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>The products with these ids that exist, in no particular order.</summary>
    public async Task<IReadOnlyList<CatalogProduct>> GetManyAsync(string workspaceId, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await using var connection = await database.OpenAsync(ct);
        var products = new List<CatalogProduct>();
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(Chunk))
        {
            var args = new object?[chunk.Length + 1];
            args[0] = workspaceId;
            chunk.CopyTo(args, 1);
            products.AddRange(await ReadAsync(connection,
                $"SELECT content, created_at, updated_at FROM catalog_products WHERE workspace_id = @p0 AND id IN ({Parameters(1, chunk.Length)})", ct, args));
        }
        return products;
    }

    /// <summary>The newest products (by the shop's creation time) that can be bought now, newest first.</summary>
    public async Task<IReadOnlyList<CatalogProduct>> NewestInStockAsync(string workspaceId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadAsync(connection,
            "SELECT content, created_at, updated_at FROM catalog_products WHERE workspace_id = @p0 AND in_stock = @p1 ORDER BY created_at DESC LIMIT @p2",
            ct, workspaceId, 1L, (long)limit);
    }

    /// <summary>Deletes a product with its history; true when it existed.</summary>
    public async Task<bool> DeleteAsync(string workspaceId, string id, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var deleted = 0;
        foreach (var sql in new[]
        {
            "DELETE FROM catalog_product_terms WHERE workspace_id = @p0 AND product_id = @p1",
            "DELETE FROM catalog_price_history WHERE workspace_id = @p0 AND product_id = @p1",
            "DELETE FROM catalog_inventory_history WHERE workspace_id = @p0 AND product_id = @p1",
            "DELETE FROM catalog_products WHERE workspace_id = @p0 AND id = @p1",
        })
        {
            await using var command = connection.Command(sql, workspaceId, id);
            command.Transaction = transaction;
            deleted = await command.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return deleted == 1;
    }

    /// <summary>Products matching every filter of <paramref name="query"/>, in id order, one page.</summary>
    public async Task<CatalogPage> SearchAsync(string workspaceId, CatalogQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder("SELECT content, created_at, updated_at FROM catalog_products p WHERE workspace_id = @p0");
        var args = new List<object?> { workspaceId };
        string Next(object? value)
        {
            args.Add(value);
            return "@p" + (args.Count - 1).ToString(CultureInfo.InvariantCulture);
        }

        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            foreach (var word in query.Text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                sql.Append(" AND search_text LIKE ").Append(Next("%" + EscapeLike(word) + "%")).Append(" ESCAPE '\\'");
        }
        if (query.Brand is { } brand)
            sql.Append(" AND brand_key = ").Append(Next(Key(brand)));
        if (query.ProductType is { } type)
            sql.Append(" AND type_key = ").Append(Next(Key(type)));
        if (query.InStock is { } inStock)
            sql.Append(" AND in_stock = ").Append(Next(inStock ? 1L : 0L));
        foreach (var (kind, value) in new[] { ("category", query.Category), ("tag", query.Tag) })
        {
            if (value is null)
                continue;
            sql.Append(" AND EXISTS (SELECT 1 FROM catalog_product_terms t WHERE t.workspace_id = p.workspace_id AND t.product_id = p.id AND t.kind = ")
                .Append(Next(kind)).Append(" AND t.value = ").Append(Next(Key(value))).Append(')');
        }
        if (query.After is { } after)
            sql.Append(" AND id > ").Append(Next(after));
        sql.Append(" ORDER BY id LIMIT ").Append(Next((long)query.Limit));

        await using var connection = await database.OpenAsync(ct);
        var products = await ReadAsync(connection, sql.ToString(), ct, args.ToArray());
        return new CatalogPage(products, products.Count == query.Limit ? products[^1].Id : null);
    }

    /// <summary>
    /// The price history of a product (and its variants), oldest first, from <paramref name="since"/> on; the row in
    /// effect at <paramref name="since"/> is included, so the price at every moment of the period is known.
    /// </summary>
    public async Task<IReadOnlyList<PricePoint>> PriceHistoryAsync(string workspaceId, string productId, DateTimeOffset? since, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await ReadPricesAsync(connection,
            "SELECT id, product_id, variant_id, at, price, compare_at_price, currency FROM catalog_price_history " +
            "WHERE workspace_id = @p0 AND product_id = @p1 ORDER BY id", ct, workspaceId, productId);
        return since is { } from ? FromMoment(rows, from, r => r.At, r => r.VariantId) : rows;
    }

    /// <summary>The inventory history of a product (and its variants), oldest first; see <see cref="PriceHistoryAsync"/>.</summary>
    public async Task<IReadOnlyList<StockPoint>> InventoryHistoryAsync(string workspaceId, string productId, DateTimeOffset? since, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT id, product_id, variant_id, at, quantity, in_stock FROM catalog_inventory_history WHERE workspace_id = @p0 AND product_id = @p1 ORDER BY id",
            workspaceId, productId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<StockPoint>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new StockPoint(reader.GetInt64(0), reader.GetString(1), NullIfEmpty(reader.GetString(2)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.IsDBNull(4) ? null : (int)reader.GetInt64(4), reader.GetInt64(5) == 1));
        }
        return since is { } from ? FromMoment(rows, from, r => r.At, r => r.VariantId) : rows;
    }

    internal static string? Key(string? text) => text?.Trim().ToLowerInvariant();

    internal static decimal? ReadMoney(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null
        : reader.GetValue(ordinal) is string text ? decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)
        : Convert.ToDecimal(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private object? Money(decimal? amount) =>
        amount is not { } value ? null : database.IsSqlite ? value.ToString(CultureInfo.InvariantCulture) : value;

    private static List<PriceChange> PriceChanges(CatalogProduct? before, CatalogProduct after)
    {
        var changes = new List<PriceChange>();
        void Compare(string? variantId, decimal? oldPrice, string? oldCurrency, decimal? newPrice)
        {
            if (oldPrice != newPrice || (newPrice is not null && !string.Equals(oldCurrency, after.Currency, StringComparison.Ordinal)))
                changes.Add(new PriceChange(variantId, oldPrice, newPrice, after.Currency));
        }

        if (after.Price is not null || before?.Price is not null)
            Compare(null, before?.Price, before?.Currency, after.Price);
        foreach (var variant in after.Variants)
        {
            var old = before?.Variants.FirstOrDefault(v => v.Id == variant.Id);
            if (variant.Price is not null || old?.Price is not null)
                Compare(variant.Id, old?.Price, before?.Currency, variant.Price);
        }
        return changes;
    }

    private static List<StockChange> StockChanges(CatalogProduct? before, CatalogProduct after)
    {
        var changes = new List<StockChange>();
        void Compare(string? variantId, int? oldQuantity, bool wasInStock, bool known, int? newQuantity, bool inStock)
        {
            if (!known || oldQuantity != newQuantity || wasInStock != inStock)
                changes.Add(new StockChange(variantId, oldQuantity, newQuantity, wasInStock, inStock));
        }

        if (after.Variants.Count == 0)
        {
            var own = before is { Variants.Count: 0 };
            Compare(null, own ? before!.InventoryQuantity : null, own && before!.InStock, own, after.InventoryQuantity, after.InStock);
        }
        foreach (var variant in after.Variants)
        {
            var old = before?.Variants.FirstOrDefault(v => v.Id == variant.Id);
            Compare(variant.Id, old?.InventoryQuantity, old?.InStock ?? false, old is not null, variant.InventoryQuantity, variant.InStock);
        }
        return changes;
    }

    private static string SearchText(CatalogProduct product)
    {
        var parts = new List<string?> { product.Title, product.Sku, product.Brand };
        parts.AddRange(product.Variants.Select(v => v.Sku));
        return string.Join(' ', parts.Where(p => !string.IsNullOrWhiteSpace(p))).ToLowerInvariant();
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static string Parameters(int first, int count) =>
        string.Join(", ", Enumerable.Range(first, count).Select(i => "@p" + i.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Rows from the one in effect at <paramref name="from"/> (per variant) on.</summary>
    private static List<T> FromMoment<T>(IReadOnlyList<T> rows, DateTimeOffset from, Func<T, DateTimeOffset> at, Func<T, string?> variant)
    {
        var inEffect = rows.Where(r => at(r) <= from).GroupBy(r => variant(r) ?? "").Select(g => g.Last()).ToHashSet();
        return rows.Where(r => at(r) > from || inEffect.Contains(r)).ToList();
    }

    private sealed record Stored(string Content, CatalogProduct Product, DateTimeOffset CreatedAt);

    private static async Task<Dictionary<string, Stored>> LoadStoredAsync(
        DbConnection connection, DbTransaction transaction, string workspaceId, List<string> ids, CancellationToken ct)
    {
        var stored = new Dictionary<string, Stored>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var args = new object?[chunk.Length + 1];
            args[0] = workspaceId;
            chunk.CopyTo(args, 1);
            await using var command = connection.Command(
                $"SELECT id, content, created_at FROM catalog_products WHERE workspace_id = @p0 AND id IN ({Parameters(1, chunk.Length)})", args);
            command.Transaction = transaction;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var content = reader.GetString(1);
                stored[reader.GetString(0)] = new Stored(content, Deserialize(content), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
            }
        }
        return stored;
    }

    private static CatalogProduct Deserialize(string content) =>
        JsonSerializer.Deserialize<CatalogProduct>(content, StorageJson.Options) ?? throw new InvalidDataException("a stored product is empty");

    private static async Task<List<CatalogProduct>> ReadAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var products = new List<CatalogProduct>();
        while (await reader.ReadAsync(ct))
        {
            products.Add(Deserialize(reader.GetString(0)) with
            {
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
            });
        }
        return products;
    }

    private static async Task<List<PricePoint>> ReadPricesAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<PricePoint>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new PricePoint(reader.GetInt64(0), reader.GetString(1), NullIfEmpty(reader.GetString(2)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), ReadMoney(reader, 4), ReadMoney(reader, 5), reader.NullableString(6)));
        }
        return rows;
    }
}
