using System.Data.Common;
using System.Globalization;
using Nudge.Core.Coupons;

namespace Nudge.Storage.Coupons;

/// <summary>
/// Coupon pools and their codes (ADR 0018): uploads and generated codes, assignment to people, redemption, and
/// what was pushed to the shop.
/// </summary>
/// <remarks>
/// Assignment is idempotent by key and safe under concurrency: on SQLite, writers take turns; on PostgreSQL, callers
/// with the same key queue on a transaction-scoped advisory lock, and callers with different keys each claim a
/// different row (<c>FOR UPDATE SKIP LOCKED</c>). The unique index on (pool, assignment key) backs both.
/// </remarks>
public sealed class CouponStore(Database database, TimeProvider time)
{
    private const int WriteChunk = 1000;
    private const int LookupChunk = 500;

    private const string PoolColumns =
        "id, workspace_id, name, description, type, amount, currency, valid_from, valid_until, valid_days, usage_limit, low_threshold, " +
        "connector_id, shop_reference, publish_error, created_at, updated_at";

    private const string CodeColumns = "pool_id, code, profile_id, assignment_key, run_id, assigned_at, expires_at, redeemed_at";

    public async Task<CouponPool> CreatePoolAsync(string workspaceId, CouponPoolSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var id = "cpl_" + Guid.CreateVersion7().ToString("N");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            await connection.ExecuteAsync(
                $"INSERT INTO coupon_pools ({PoolColumns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, NULL, NULL, @p13, @p13)",
                ct, [id, workspaceId, .. SettingValues(settings), now]);
        }
        return (await GetPoolAsync(workspaceId, id, ct))!;
    }

    /// <summary>Replaces a pool's settings (codes already given keep their expiry); null when there is no such pool.</summary>
    public async Task<CouponPool?> UpdatePoolAsync(string workspaceId, string id, CouponPoolSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            var changed = await connection.ExecuteAsync(
                "UPDATE coupon_pools SET name = @p2, description = @p3, type = @p4, amount = @p5, currency = @p6, valid_from = @p7, valid_until = @p8, " +
                "valid_days = @p9, usage_limit = @p10, low_threshold = @p11, connector_id = @p12, updated_at = @p13 WHERE workspace_id = @p0 AND id = @p1",
                ct, [workspaceId, id, .. SettingValues(settings), time.GetUtcNow().ToUnixTimeMilliseconds()]);
            if (changed == 0)
                return null;
        }
        return await GetPoolAsync(workspaceId, id, ct);
    }

    public async Task<CouponPool?> GetPoolAsync(string workspaceId, string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await ReadPoolsAsync(connection, $"SELECT {PoolColumns} FROM coupon_pools WHERE workspace_id = @p0 AND id = @p1", ct, workspaceId, id);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<CouponPool>> ListPoolsAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadPoolsAsync(connection, $"SELECT {PoolColumns} FROM coupon_pools WHERE workspace_id = @p0 ORDER BY id", ct, workspaceId);
    }

    /// <summary>Deletes a pool and its codes; true when there was one.</summary>
    public async Task<bool> DeletePoolAsync(string workspaceId, string id, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var codes = connection.Command("DELETE FROM coupon_codes WHERE pool_id = @p0 AND workspace_id = @p1", id, workspaceId);
        codes.Transaction = transaction;
        await codes.ExecuteNonQueryAsync(ct);
        await using var pool = connection.Command("DELETE FROM coupon_pools WHERE workspace_id = @p0 AND id = @p1", workspaceId, id);
        pool.Transaction = transaction;
        var deleted = await pool.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return deleted == 1;
    }

    /// <summary>Adds codes (trimmed) to a pool; codes it already has (in any spelling) are reported, not added again.</summary>
    public async Task<CodesAdded> AddCodesAsync(string workspaceId, string poolId, IEnumerable<string> codes, string source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var added = 0;
        var already = new List<string>();
        foreach (var chunk in codes.Select(c => c.Trim()).Chunk(WriteChunk))
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            using var turn = await database.WriteTurnAsync(ct);
            await using var connection = await database.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using var insert = connection.Reusable(transaction,
                "INSERT INTO coupon_codes (pool_id, code_key, code, workspace_id, source, added_at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5) " +
                "ON CONFLICT (pool_id, code_key) DO NOTHING", 6);
            foreach (var code in chunk)
            {
                if (await insert.RunAsync(ct, poolId, CouponCodes.Key(code), code, workspaceId, source, now) == 1)
                    added++;
                else
                    already.Add(code);
            }
            await transaction.CommitAsync(ct);
        }
        return new CodesAdded(added, already);
    }

    /// <summary>
    /// Generates <paramref name="count"/> new codes from <paramref name="pattern"/> into the pool. Codes are unique per
    /// pool (its primary key): a generated code the pool already has is drawn again.
    /// </summary>
    public async Task<int> GenerateAsync(string workspaceId, string poolId, CodePattern pattern, int count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var added = 0;
        // Collisions are rare by construction (a pool uses at most a thousandth of its pattern's codes); the bound
        // only guards against a pattern that has run out.
        for (var round = 0; added < count && round < 100; round++)
        {
            var batch = pattern.Generate(Math.Min(count - added, WriteChunk * 10));
            added += (await AddCodesAsync(workspaceId, poolId, batch, "generated", ct)).Added;
        }
        return added;
    }

    /// <summary>
    /// Gives <paramref name="profileId"/> a code of the pool under <paramref name="key"/>: the same key always gets the
    /// same code back; two different keys never get the same code. Refused when the pool is unknown, has ended or is empty.
    /// </summary>
    public async Task<CouponAssignment> AssignAsync(string workspaceId, string poolId, string profileId, string key, string? runId, CancellationToken ct)
    {
        if (await GetPoolAsync(workspaceId, poolId, ct) is not { } pool)
            return new CouponAssignment(null, false, $"no coupon pool '{poolId}' in this workspace", 0);

        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            using var turn = await database.WriteTurnAsync(ct);
            await using var connection = await database.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            if (!database.IsSqlite)
                await RunAsync(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext(@p0 || chr(10) || @p1))", ct, poolId, key);

            var existing = await ReadCodesAsync(connection, transaction,
                $"SELECT {CodeColumns} FROM coupon_codes WHERE pool_id = @p0 AND assignment_key = @p1", ct, poolId, key);
            if (existing.Count == 1)
            {
                await transaction.CommitAsync(ct);
                return new CouponAssignment(existing[0], false, null, await CountAvailableAsync(connection, pool, ct));
            }
            if (pool.Settings.Validity.HasEnded(now))
                return new CouponAssignment(null, false, $"coupon pool '{poolId}' ended at {pool.Settings.Validity.Until:u}", 0);

            var expires = pool.Settings.Validity.ExpiresAt(now);
            var pick = "SELECT code_key FROM coupon_codes WHERE pool_id = @p0 AND profile_id IS NULL AND redeemed_at IS NULL ORDER BY added_at, code_key LIMIT 1"
                + database.SkipLocked;
            var claimed = await ReadCodesAsync(connection, transaction,
                $"UPDATE coupon_codes SET profile_id = @p1, assignment_key = @p2, run_id = @p3, assigned_at = @p4, expires_at = @p5 " +
                $"WHERE pool_id = @p0 AND code_key = ({pick}) AND profile_id IS NULL RETURNING {CodeColumns}",
                ct, poolId, profileId, key, runId, now.ToUnixTimeMilliseconds(), expires?.ToUnixTimeMilliseconds());
            await transaction.CommitAsync(ct);
            if (claimed.Count == 1)
                return new CouponAssignment(claimed[0], true, null, await CountAvailableAsync(connection, pool, ct));
            // Nothing claimed: the pool is empty, or (PostgreSQL) every free row was being taken by others right now.
            var left = await CountAvailableAsync(connection, pool, ct);
            if (left == 0 || attempt == 5)
                return new CouponAssignment(null, false, $"coupon pool '{poolId}' has no codes left", left);
        }
    }

    /// <summary>Codes left to give out, counted up to the pool's low threshold + 1 (enough to tell whether it runs low).</summary>
    public async Task<long> CountAvailableAsync(CouponPool pool, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pool);
        await using var connection = await database.OpenAsync(ct);
        return await CountAvailableAsync(connection, pool, ct);
    }

    private static async Task<long> CountAvailableAsync(DbConnection connection, CouponPool pool, CancellationToken ct) =>
        await connection.ScalarAsync<long>(
            "SELECT COUNT(*) FROM (SELECT 1 FROM coupon_codes WHERE pool_id = @p0 AND profile_id IS NULL AND redeemed_at IS NULL LIMIT @p1) AS available",
            ct, pool.Id, (long)pool.Settings.LowThreshold + 1);

    /// <summary>How the pool's codes stand now.</summary>
    public async Task<CouponPoolStats> StatsAsync(CouponPool pool, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var now = time.GetUtcNow();
        var ended = pool.Settings.Validity.HasEnded(now) ? 1L : 0L;
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT COUNT(*), " +
            "SUM(CASE WHEN profile_id IS NULL AND redeemed_at IS NULL AND @p2 = 0 THEN 1 ELSE 0 END), " +
            "SUM(CASE WHEN profile_id IS NOT NULL AND redeemed_at IS NULL AND (expires_at IS NULL OR expires_at > @p1) THEN 1 ELSE 0 END), " +
            "SUM(CASE WHEN redeemed_at IS NOT NULL THEN 1 ELSE 0 END), " +
            "SUM(CASE WHEN redeemed_at IS NULL AND (profile_id IS NOT NULL AND expires_at <= @p1 OR profile_id IS NULL AND @p2 = 1) THEN 1 ELSE 0 END), " +
            "SUM(CASE WHEN published_at IS NULL THEN 1 ELSE 0 END) " +
            "FROM coupon_codes WHERE pool_id = @p0",
            pool.Id, now.ToUnixTimeMilliseconds(), ended);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        long At(int i) => reader.IsDBNull(i) ? 0 : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
        return new CouponPoolStats(At(0), At(1), At(2), At(3), At(4), At(5));
    }

    /// <summary>Every code given to a person, newest first.</summary>
    public async Task<IReadOnlyList<AssignedCoupon>> ForProfileAsync(string workspaceId, string profileId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadCodesAsync(connection, null,
            $"SELECT {CodeColumns} FROM coupon_codes WHERE profile_id = @p0 AND workspace_id = @p1 ORDER BY assigned_at DESC, code_key", ct, profileId, workspaceId);
    }

    /// <summary>The code a flow run was given last (the one its templates show), or null.</summary>
    public async Task<AssignedCoupon?> ForRunAsync(string workspaceId, string runId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await ReadCodesAsync(connection, null,
            $"SELECT {CodeColumns} FROM coupon_codes WHERE run_id = @p0 AND workspace_id = @p1 ORDER BY assigned_at DESC, code_key LIMIT 1", ct, runId, workspaceId);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>A page of the pool's codes in code order, after the code <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<PoolCode>> PageAsync(string poolId, string? after, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT code, profile_id, assigned_at, expires_at, redeemed_at, published_at FROM coupon_codes " +
            "WHERE pool_id = @p0 AND code_key > @p1 ORDER BY code_key LIMIT @p2",
            poolId, after is null ? "" : CouponCodes.Key(after), (long)limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<PoolCode>();
        while (await reader.ReadAsync(ct))
        {
            DateTimeOffset? Moment(int i) => reader.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(i));
            rows.Add(new PoolCode(reader.GetString(0), reader.NullableString(1), Moment(2), Moment(3), Moment(4), Moment(5)));
        }
        return rows;
    }

    /// <summary>
    /// Marks the workspace's codes that match <paramref name="code"/> redeemed by the event <paramref name="messageId"/>.
    /// Returns the redemptions that event made: a code's first redemption, and again when the same event comes back
    /// (a replay), so the caller can write its event again under the same id. Later uses of a redeemed code return nothing.
    /// </summary>
    public async Task<IReadOnlyList<CouponRedemption>> RedeemAsync(
        string workspaceId, string code, string redeemedBy, string messageId, string? orderId, DateTimeOffset at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(code);
        var key = CouponCodes.Key(code);
        if (key.Length == 0 || key.Length > CouponCodes.MaxLength)
            return [];
        var redemptions = new List<CouponRedemption>();
        await using (var connection = await database.OpenAsync(ct))
        {
            await using var find = connection.Command("SELECT pool_id FROM coupon_codes WHERE workspace_id = @p0 AND code_key = @p1", workspaceId, key);
            var pools = new List<string>();
            await using (var reader = await find.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                    pools.Add(reader.GetString(0));
            }
            if (pools.Count == 0)
                return [];
        }

        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            await connection.ExecuteAsync(
                "UPDATE coupon_codes SET redeemed_at = @p2, redeemed_by = @p3, redeemed_order_id = @p4, redeemed_message_id = @p5 " +
                "WHERE workspace_id = @p0 AND code_key = @p1 AND redeemed_at IS NULL",
                ct, workspaceId, key, at.ToUnixTimeMilliseconds(), redeemedBy, orderId, messageId);
        }

        await using (var connection = await database.OpenAsync(ct))
        {
            await using var command = connection.Command(
                "SELECT c.code, c.profile_id, c.redeemed_by, c.redeemed_order_id, c.redeemed_at, c.pool_id FROM coupon_codes c " +
                "WHERE c.workspace_id = @p0 AND c.code_key = @p1 AND c.redeemed_message_id = @p2 ORDER BY c.pool_id",
                workspaceId, key, messageId);
            var rows = new List<(string Code, string? Profile, string By, string? Order, long At, string Pool)>();
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                    rows.Add((reader.GetString(0), reader.NullableString(1), reader.GetString(2), reader.NullableString(3), reader.GetInt64(4), reader.GetString(5)));
            }
            foreach (var row in rows)
            {
                if (await GetPoolAsync(workspaceId, row.Pool, ct) is { } pool)
                    redemptions.Add(new CouponRedemption(pool, row.Code, row.Profile, row.By, row.Order, DateTimeOffset.FromUnixTimeMilliseconds(row.At), messageId));
            }
        }
        return redemptions;
    }

    /// <summary>Up to <paramref name="limit"/> of the pool's codes not pushed to the shop yet, oldest first.</summary>
    public async Task<IReadOnlyList<string>> UnpublishedAsync(string poolId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT code FROM coupon_codes WHERE pool_id = @p0 AND published_at IS NULL ORDER BY added_at, code_key LIMIT @p1", poolId, (long)limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var codes = new List<string>();
        while (await reader.ReadAsync(ct))
            codes.Add(reader.GetString(0));
        return codes;
    }

    /// <summary>Records that the shop has these codes.</summary>
    public async Task MarkPublishedAsync(string poolId, IEnumerable<string> codes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var chunk in codes.Chunk(LookupChunk))
        {
            using var turn = await database.WriteTurnAsync(ct);
            await using var connection = await database.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using var update = connection.Reusable(transaction, "UPDATE coupon_codes SET published_at = @p2 WHERE pool_id = @p0 AND code_key = @p1", 3);
            foreach (var code in chunk)
                await update.RunAsync(ct, poolId, CouponCodes.Key(code), now);
            await transaction.CommitAsync(ct);
        }
    }

    /// <summary>Records the outcome of a push to the shop: the shop's id of the pool's discount, and the error (null when it worked).</summary>
    public async Task SetPublishStateAsync(string poolId, string? shopReference, string? error, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("UPDATE coupon_pools SET shop_reference = COALESCE(@p1, shop_reference), publish_error = @p2 WHERE id = @p0",
            ct, poolId, shopReference, error);
    }

    private static object?[] SettingValues(CouponPoolSettings s) =>
    [
        s.Name, s.Description, CouponTypes.Name(s.Type), s.Amount?.ToString(CultureInfo.InvariantCulture), s.Currency,
        s.Validity.From?.ToUnixTimeMilliseconds(), s.Validity.Until?.ToUnixTimeMilliseconds(), s.Validity.DaysAfterAssignment is { } d ? (long)d : null,
        (long)s.UsageLimit, (long)s.LowThreshold, s.ConnectorId,
    ];

    private static async Task RunAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<IReadOnlyList<CouponPool>> ReadPoolsAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var pools = new List<CouponPool>();
        while (await reader.ReadAsync(ct))
        {
            DateTimeOffset? Moment(int i) => reader.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(i));
            var settings = new CouponPoolSettings(
                reader.GetString(2),
                reader.NullableString(3),
                CouponTypes.Parse(reader.GetString(4)) ?? CouponType.Percent,
                reader.NullableString(5) is { } amount ? decimal.Parse(amount, CultureInfo.InvariantCulture) : null,
                reader.NullableString(6),
                new CouponValidity(Moment(7), Moment(8), reader.IsDBNull(9) ? null : Convert.ToInt32(reader.GetValue(9), CultureInfo.InvariantCulture)),
                Convert.ToInt32(reader.GetValue(10), CultureInfo.InvariantCulture),
                Convert.ToInt32(reader.GetValue(11), CultureInfo.InvariantCulture),
                reader.NullableString(12));
            pools.Add(new CouponPool(reader.GetString(0), reader.GetString(1), settings, reader.NullableString(13), reader.NullableString(14),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(15)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(16))));
        }
        return pools;
    }

    private static async Task<IReadOnlyList<AssignedCoupon>> ReadCodesAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<AssignedCoupon>();
        while (await reader.ReadAsync(ct))
            rows.Add(ReadCode(reader));
        return rows;
    }

    private static AssignedCoupon ReadCode(DbDataReader reader)
    {
        DateTimeOffset? Moment(int i) => reader.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(i));
        return new AssignedCoupon(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.NullableString(4),
            Moment(5)!.Value, Moment(6), Moment(7));
    }
}
