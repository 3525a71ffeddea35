using System.Data.Common;

namespace Nudge.Storage.Outbox;

/// <summary>
/// The outbox: messages written by whoever decides to send (opt-in confirmations now, flow steps later) and
/// delivered by the delivery workers. Writing a message key that is already there keeps the first row, so a
/// decision replayed after a crash sends nothing twice.
/// </summary>
public sealed class OutboxStore(Database database)
{
    private const string Columns =
        "id, workspace_id, profile_id, channel, message_key, recipient, subject, body_html, body_text, created_at, status, attempts, " +
        "next_attempt_at, sent_at, last_error, template_id, flow_id, run_id, step_id, priority, transactional, smart_sending_ms";

    /// <summary>Writes a message; false when a message with its key was written before (nothing changes then).</summary>
    public async Task<bool> EnqueueAsync(OutboxMessage message, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var added = await InsertAsync(connection, transaction, message, ct);
        await transaction.CommitAsync(ct);
        return added;
    }

    /// <summary>The message with this key, if any.</summary>
    public async Task<OutboxMessage?> FindAsync(string messageKey, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command($"SELECT {Columns} FROM outbox WHERE message_key = @p0", messageKey);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>The messages of a workspace to one recipient, oldest first.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ToRecipientAsync(string workspaceId, string recipient, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM outbox WHERE workspace_id = @p0 AND recipient = @p1 ORDER BY created_at, id", workspaceId, recipient);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var messages = new List<OutboxMessage>();
        while (await reader.ReadAsync(ct))
            messages.Add(Read(reader));
        return messages;
    }

    /// <summary>Writes a message inside a caller's transaction; false when its key is taken.</summary>
    internal static async Task<bool> InsertAsync(DbConnection connection, DbTransaction transaction, OutboxMessage m, CancellationToken ct)
    {
        await using var command = connection.Command(
            "INSERT INTO outbox (id, workspace_id, profile_id, channel, message_key, recipient, subject, body_html, body_text, created_at, " +
            "status, attempts, next_attempt_at, template_id, flow_id, run_id, step_id, priority, transactional, smart_sending_ms) " +
            "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16, @p17, @p18, @p19) " +
            "ON CONFLICT (message_key) DO NOTHING",
            m.Id, m.WorkspaceId, m.ProfileId, m.Channel, m.MessageKey, m.Recipient, m.Subject, m.BodyHtml, m.BodyText,
            m.CreatedAt.ToUnixTimeMilliseconds(), m.Status, (long)m.Attempts, m.NextAttemptAt.ToUnixTimeMilliseconds(),
            m.Flow?.TemplateId, m.Flow?.FlowId, m.Flow?.RunId, m.Flow?.StepId, (long)(m.Flow?.Priority ?? 0), m.Flow is { Transactional: true } ? 1L : 0L,
            m.Flow?.SmartSending is { } window ? (long)window.TotalMilliseconds : null);
        command.Transaction = transaction;
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private static OutboxMessage Read(DbDataReader reader) => new(
        Id: reader.GetString(0),
        WorkspaceId: reader.GetString(1),
        ProfileId: reader.NullableString(2),
        Channel: reader.GetString(3),
        MessageKey: reader.GetString(4),
        Recipient: reader.GetString(5),
        Subject: reader.NullableString(6),
        BodyHtml: reader.NullableString(7),
        BodyText: reader.NullableString(8),
        CreatedAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
        Status: reader.GetString(10),
        Attempts: (int)reader.GetInt64(11),
        NextAttemptAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12)),
        SentAt: reader.IsDBNull(13) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13)),
        LastError: reader.NullableString(14))
    {
        Flow = reader.IsDBNull(17) ? null : new FlowMessage(reader.NullableString(15), reader.GetString(16), reader.GetString(17), reader.GetString(18),
            (int)reader.GetInt64(19), reader.GetInt64(20) == 1, reader.IsDBNull(21) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(21))),
    };
}
