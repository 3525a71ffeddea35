using System.Data.Common;

namespace Nudge.Storage.Outbox;

/// <summary>Reads of the delivery log: a workspace's messages with their current status, and each one's status history.</summary>
public sealed class DeliveryLog(Database database)
{
    /// <summary>
    /// A page of a workspace's messages, newest first, optionally only one profile's or one status's, starting after
    /// the message <paramref name="before"/> (the last id of the previous page).
    /// </summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(
        string workspaceId, string? profileId, string? status, string? before, int limit, CancellationToken ct)
    {
        var sql = $"SELECT {OutboxStore.Columns} FROM outbox WHERE workspace_id = @p0" +
            (profileId is null ? "" : " AND profile_id = @p1") +
            (status is null ? "" : " AND status = @p2") +
            (before is null ? "" : " AND id < @p3") +
            " ORDER BY id DESC LIMIT @p4";
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(sql, workspaceId, profileId, status, before, limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var page = new List<OutboxMessage>();
        while (await reader.ReadAsync(ct))
            page.Add(OutboxStore.Read(reader));
        return page;
    }

    /// <summary>One message of the workspace, or null.</summary>
    public async Task<OutboxMessage?> GetAsync(string workspaceId, string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command($"SELECT {OutboxStore.Columns} FROM outbox WHERE id = @p0 AND workspace_id = @p1", id, workspaceId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? OutboxStore.Read(reader) : null;
    }

    /// <summary>The status history of a message, oldest first.</summary>
    public async Task<IReadOnlyList<MessageEvent>> HistoryAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT status, at, detail FROM message_events WHERE outbox_id = @p0 ORDER BY id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var events = new List<MessageEvent>();
        while (await reader.ReadAsync(ct))
            events.Add(Event(reader));
        return events;
    }

    private static MessageEvent Event(DbDataReader reader) =>
        new(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.NullableString(2));
}
