using System.Data.Common;

namespace Nudge.Storage.Connectors;

/// <summary>
/// The webhook deliveries of the shop connectors: written durably before the shop gets its answer, claimed by the
/// connector worker with a lease (a worker that dies leaves its claim to expire), finished, retried or failed.
/// Also remembers which event-log message ids each connector has appended, beyond the log's de-duplication window.
/// </summary>
public sealed class DeliveryStore(Database database)
{
    private const string Columns =
        "id, connector_id, workspace_id, delivery_key, topic, body, received_at, status, attempts, next_attempt_at, finished_at, events, error";

    /// <summary>Stores a delivery unless this connector already has one with the same key.</summary>
    public async Task<ReceivedDelivery> ReceiveAsync(
        string connectorId, string workspaceId, string deliveryKey, string topic, string body, DateTimeOffset at, CancellationToken ct)
    {
        var id = "dlv_" + Guid.CreateVersion7().ToString("N");
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        var inserted = await connection.ExecuteAsync(
            $"INSERT INTO connector_deliveries (id, connector_id, workspace_id, delivery_key, topic, body, received_at, status, next_attempt_at) " +
            $"VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, '{DeliveryStatus.Pending}', @p6) ON CONFLICT (connector_id, delivery_key) DO NOTHING",
            ct, id, connectorId, workspaceId, deliveryKey, topic, body, at.ToUnixTimeMilliseconds());
        if (inserted == 1)
            return new ReceivedDelivery(id, true);
        var earlier = await connection.ScalarAsync<string>(
            "SELECT id FROM connector_deliveries WHERE connector_id = @p0 AND delivery_key = @p1", ct, connectorId, deliveryKey);
        return new ReceivedDelivery(earlier!, false);
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> deliveries due at <paramref name="now"/> (pending ones, and claimed ones whose
    /// lease ran out), oldest first: they become processing until <paramref name="leaseUntil"/>, with one attempt more.
    /// </summary>
    public async Task<IReadOnlyList<ShopDelivery>> ClaimAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct)
    {
        var claimed = await database.ClaimAsync(
            $"UPDATE connector_deliveries SET status = '{DeliveryStatus.Processing}', attempts = attempts + 1, claimed_until = @p1 WHERE id IN (" +
            $"SELECT id FROM connector_deliveries WHERE (status = '{DeliveryStatus.Pending}' AND next_attempt_at <= @p0) " +
            $"OR (status = '{DeliveryStatus.Processing}' AND claimed_until <= @p0) ORDER BY next_attempt_at, id LIMIT @p2{database.SkipLocked}) RETURNING {Columns}",
            Read, ct, now.ToUnixTimeMilliseconds(), leaseUntil.ToUnixTimeMilliseconds(), limit);
        claimed.Sort((a, b) => a.NextAttemptAt != b.NextAttemptAt ? a.NextAttemptAt.CompareTo(b.NextAttemptAt) : string.CompareOrdinal(a.Id, b.Id));
        return claimed;
    }

    /// <summary>Finishes a claimed delivery as processed or ignored; <paramref name="note"/> says why it was ignored.</summary>
    public Task FinishAsync(string id, string status, int events, string? note, DateTimeOffset at, CancellationToken ct)
    {
        if (status is not (DeliveryStatus.Processed or DeliveryStatus.Ignored))
            throw new ArgumentOutOfRangeException(nameof(status), status, "a delivery finishes as processed or ignored");
        return UpdateAsync(
            "status = @p1, events = @p2, error = @p3, finished_at = @p4, claimed_until = NULL", ct, id, status, events, note, at.ToUnixTimeMilliseconds());
    }

    /// <summary>Puts a claimed delivery back to be tried again at <paramref name="retryAt"/>, keeping the reason.</summary>
    public Task RetryAsync(string id, string error, DateTimeOffset retryAt, CancellationToken ct) =>
        UpdateAsync($"status = '{DeliveryStatus.Pending}', error = @p1, next_attempt_at = @p2, claimed_until = NULL", ct, id, error, retryAt.ToUnixTimeMilliseconds());

    /// <summary>Gives up on a claimed delivery, keeping the reason.</summary>
    public Task FailAsync(string id, string error, DateTimeOffset at, CancellationToken ct) =>
        UpdateAsync($"status = '{DeliveryStatus.Failed}', error = @p1, finished_at = @p2, claimed_until = NULL", ct, id, error, at.ToUnixTimeMilliseconds());

    /// <summary>A delivery of a workspace, or null.</summary>
    public async Task<ShopDelivery?> GetAsync(string workspaceId, string deliveryId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await ReadAsync(connection, $"SELECT {Columns} FROM connector_deliveries WHERE id = @p0 AND workspace_id = @p1", ct, deliveryId, workspaceId);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>The deliveries of a connector, newest first, optionally only those with <paramref name="status"/>.</summary>
    public async Task<IReadOnlyList<ShopDelivery>> ListAsync(string workspaceId, string connectorId, string? status, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        // A null parameter has no type PostgreSQL could infer, so the status filter is added only when asked for.
        var byStatus = status is null ? "" : " AND status = @p3";
        return await ReadAsync(connection,
            $"SELECT {Columns} FROM connector_deliveries WHERE workspace_id = @p0 AND connector_id = @p1{byStatus} " +
            "ORDER BY received_at DESC, id DESC LIMIT @p2",
            ct, status is null ? [workspaceId, connectorId, limit] : [workspaceId, connectorId, limit, status]);
    }

    /// <summary>Of <paramref name="messageIds"/>, those this connector has not appended to the log yet.</summary>
    public async Task<IReadOnlySet<string>> UnseenEventIdsAsync(string connectorId, IEnumerable<string> messageIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        var unseen = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(ct);
        foreach (var messageId in messageIds)
        {
            if (await connection.ScalarAsync<long?>("SELECT 1 FROM connector_event_ids WHERE connector_id = @p0 AND message_id = @p1", ct, connectorId, messageId) is null)
                unseen.Add(messageId);
        }
        return unseen;
    }

    /// <summary>Remembers that this connector appended these message ids.</summary>
    public async Task RememberEventIdsAsync(string connectorId, IReadOnlyCollection<string> messageIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        if (messageIds.Count == 0)
            return;
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var insert = connection.Reusable(transaction,
            "INSERT INTO connector_event_ids (connector_id, message_id) VALUES (@p0, @p1) ON CONFLICT (connector_id, message_id) DO NOTHING", 2);
        foreach (var messageId in messageIds)
            await insert.RunAsync(ct, connectorId, messageId);
        await transaction.CommitAsync(ct);
    }

    private async Task UpdateAsync(string set, CancellationToken ct, params object?[] args)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync($"UPDATE connector_deliveries SET {set} WHERE id = @p0", ct, args);
    }

    private static async Task<List<ShopDelivery>> ReadAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var found = new List<ShopDelivery>();
        while (await reader.ReadAsync(ct))
            found.Add(Read(reader));
        return found;
    }

    private static ShopDelivery Read(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)), reader.GetString(7), reader.GetInt32(8),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
        reader.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
        reader.GetInt32(11), reader.NullableString(12));
}
