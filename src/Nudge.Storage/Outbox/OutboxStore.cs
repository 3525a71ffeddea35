using System.Data.Common;

namespace Nudge.Storage.Outbox;

/// <summary>
/// The outbox: messages written by whoever decides to send (opt-in confirmations now, flow steps later) and
/// delivered by the delivery workers. Writing a message key that is already there keeps the first row, so a
/// decision replayed after a crash sends nothing twice. Every change of a message's status is also appended to its
/// history in <c>message_events</c> (the delivery log), in the same transaction.
/// </summary>
public sealed class OutboxStore(Database database)
{
    internal const string Columns =
        "id, workspace_id, profile_id, channel, message_key, recipient, subject, body_html, body_text, created_at, status, attempts, " +
        "next_attempt_at, sent_at, last_error, template_id, flow_id, run_id, step_id, priority, transactional, smart_sending_ms, " +
        "provider_message_id, provider_reply, template_version, message_ref";

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

    /// <summary>
    /// Claims up to <paramref name="limit"/> messages of <paramref name="channel"/> that are due at <paramref name="now"/>
    /// (pending, or deferred until now or earlier), oldest due first: they become 'sending' with one attempt more, leased
    /// until <paramref name="leaseUntil"/>. Concurrent workers never claim the same row (PostgreSQL skips locked rows).
    /// </summary>
    public Task<IReadOnlyList<OutboxMessage>> ClaimDueAsync(
        string channel, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        ClaimAsync(
            $"status = '{OutboxStatus.Sending}', attempts = attempts + 1",
            $"status IN ('{OutboxStatus.Pending}', '{OutboxStatus.Deferred}') AND next_attempt_at <= @p1",
            channel, now, leaseUntil, limit, ct);

    /// <summary>
    /// Claims up to <paramref name="limit"/> queued messages of <paramref name="channel"/> due at <paramref name="now"/>
    /// for the preparation stage, and any whose preparation lease ran out (preparing sends nothing, so doing it again
    /// is safe): they become 'preparing' until <paramref name="leaseUntil"/>.
    /// </summary>
    public Task<IReadOnlyList<OutboxMessage>> ClaimQueuedAsync(
        string channel, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        ClaimAsync(
            $"status = '{OutboxStatus.Preparing}'",
            $"((status = '{OutboxStatus.Queued}' AND next_attempt_at <= @p1) OR (status = '{OutboxStatus.Preparing}' AND claimed_until <= @p1))",
            channel, now, leaseUntil, limit, ct);

    /// <summary>
    /// Claims the oldest due rows of a channel matching <paramref name="where"/>, applying <paramref name="set"/> and a
    /// lease until @p2, in one statement; returned oldest due first (RETURNING gives no order).
    /// </summary>
    private async Task<IReadOnlyList<OutboxMessage>> ClaimAsync(
        string set, string where, string channel, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct)
    {
        var claimed = await database.ClaimAsync(
            $"UPDATE outbox SET {set}, claimed_until = @p2 WHERE id IN (" +
            $"SELECT id FROM outbox WHERE channel = @p0 AND {where} ORDER BY next_attempt_at, id LIMIT @p3{database.SkipLocked}) RETURNING {Columns}",
            Read, ct, channel, now.ToUnixTimeMilliseconds(), leaseUntil.ToUnixTimeMilliseconds(), limit);
        claimed.Sort((a, b) => a.NextAttemptAt != b.NextAttemptAt ? a.NextAttemptAt.CompareTo(b.NextAttemptAt) : string.CompareOrdinal(a.Id, b.Id));
        return claimed;
    }

    /// <summary>Writes what the preparation stage decided for claimed messages, with a history line each, in one transaction.</summary>
    public async Task PreparedAsync(IReadOnlyCollection<PreparedMessage> prepared, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (prepared.Count == 0)
            return;
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var update = connection.Reusable(transaction,
            "UPDATE outbox SET status = @p1, claimed_until = NULL, recipient = COALESCE(@p2, recipient), subject = COALESCE(@p3, subject), " +
            "body_html = COALESCE(@p4, body_html), body_text = COALESCE(@p5, body_text), next_attempt_at = COALESCE(@p6, next_attempt_at), " +
            "template_version = COALESCE(@p8, template_version), " +
            $"last_error = @p7 WHERE id = @p0 AND status = '{OutboxStatus.Preparing}' RETURNING workspace_id", 9);
        await using var history = connection.Reusable(transaction,
            "INSERT INTO message_events (outbox_id, workspace_id, status, at, detail) VALUES (@p0, @p1, @p2, @p3, @p4)", 5);
        foreach (var p in prepared)
        {
            object?[] values = [p.Id, p.Status, p.Recipient, p.Subject, p.BodyHtml, p.BodyText, p.NextAttemptAt?.ToUnixTimeMilliseconds(),
                p.Status is OutboxStatus.Pending or OutboxStatus.Queued ? null : p.Detail, p.TemplateVersion is { } v ? (long)v : null];
            for (var i = 0; i < values.Length; i++)
                update.Parameters[i].Value = values[i] ?? DBNull.Value;
            if (await update.ExecuteScalarAsync(ct) is string workspace)
                await history.RunAsync(ct, p.Id, workspace, p.History, p.At.ToUnixTimeMilliseconds(), p.Detail);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// The messages a profile was sent since <paramref name="since"/>, or that are on their way (pending, sending,
    /// deferred), on any channel: what smart sending and frequency caps count.
    /// </summary>
    public async Task<IReadOnlyList<RecentSend>> RecentSendsAsync(string profileId, DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT channel, COALESCE(sent_at, next_attempt_at), transactional FROM outbox WHERE profile_id = @p0 " +
            $"AND status IN ('{OutboxStatus.Pending}', '{OutboxStatus.Sending}', '{OutboxStatus.Sent}', '{OutboxStatus.Deferred}') " +
            "AND COALESCE(sent_at, next_attempt_at) >= @p1",
            profileId, since.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var sends = new List<RecentSend>();
        while (await reader.ReadAsync(ct))
            sends.Add(new RecentSend(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetInt64(2) == 1));
        return sends;
    }

    /// <summary>
    /// Records what became of claimed messages and appends each to its history, in one transaction. A record for a
    /// row that is no longer 'sending' (recovery gave it to another worker) changes nothing; returns how many were recorded.
    /// </summary>
    public async Task<int> RecordAsync(IReadOnlyCollection<DeliveryRecord> records, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
            return 0;
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var update = connection.Reusable(transaction,
            "UPDATE outbox SET status = @p1, claimed_until = NULL, next_attempt_at = COALESCE(@p2, next_attempt_at), " +
            "sent_at = CASE WHEN @p1 = 'sent' THEN @p3 ELSE sent_at END, provider_message_id = COALESCE(@p4, provider_message_id), " +
            "provider_reply = @p5, last_error = CASE WHEN @p1 = 'sent' THEN last_error ELSE @p5 END " +
            $"WHERE id = @p0 AND status = '{OutboxStatus.Sending}' RETURNING workspace_id", 6);
        await using var history = connection.Reusable(transaction,
            "INSERT INTO message_events (outbox_id, workspace_id, status, at, detail) VALUES (@p0, @p1, @p2, @p3, @p4)", 5);
        var recorded = 0;
        foreach (var r in records)
        {
            for (var i = 0; i < 6; i++)
                update.Parameters[i].Value = DBNull.Value;
            update.Parameters[0].Value = r.Id;
            update.Parameters[1].Value = r.Status;
            update.Parameters[2].Value = r.NextAttemptAt is { } next ? next.ToUnixTimeMilliseconds() : DBNull.Value;
            update.Parameters[3].Value = r.At.ToUnixTimeMilliseconds();
            update.Parameters[4].Value = (object?)r.ProviderMessageId ?? DBNull.Value;
            update.Parameters[5].Value = (object?)r.Detail ?? DBNull.Value;
            if (await update.ExecuteScalarAsync(ct) is not string workspace)
                continue;
            await history.RunAsync(ct, r.Id, workspace, r.Status, r.At.ToUnixTimeMilliseconds(), r.Detail);
            recorded++;
        }
        await transaction.CommitAsync(ct);
        return recorded;
    }

    /// <summary>
    /// Finds messages of <paramref name="channel"/> still 'sending' after their lease ran out at or before
    /// <paramref name="now"/> (their worker stopped between claiming and recording), makes them due again at once,
    /// and writes 'unrecorded' into their history.
    /// </summary>
    public async Task<IReadOnlyList<UnrecordedMessage>> RecoverUnrecordedAsync(string channel, DateTimeOffset now, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var found = new List<UnrecordedMessage>();
        await using (var command = connection.Command(
            $"UPDATE outbox SET status = '{OutboxStatus.Deferred}', next_attempt_at = @p1, claimed_until = NULL " +
            $"WHERE status = '{OutboxStatus.Sending}' AND claimed_until <= @p1 AND channel = @p0 " +
            "RETURNING id, workspace_id, message_key", channel, now.ToUnixTimeMilliseconds()))
        {
            command.Transaction = transaction;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                found.Add(new UnrecordedMessage(reader.GetString(0), reader.GetString(1), reader.GetString(2), now));
        }

        await using var history = connection.Reusable(transaction,
            "INSERT INTO message_events (outbox_id, workspace_id, status, at, detail) VALUES (@p0, @p1, @p2, @p3, @p4)", 5);
        foreach (var m in found)
        {
            await history.RunAsync(ct, m.Id, m.WorkspaceId, OutboxStatus.Unrecorded, now.ToUnixTimeMilliseconds(),
                "a delivery worker stopped after claiming this message and before recording the provider's answer; sending it again");
        }
        await transaction.CommitAsync(ct);
        return found;
    }

    /// <summary>Writes a message inside a caller's transaction, with 'queued' in its history; false when its key is taken.</summary>
    internal static async Task<bool> InsertAsync(DbConnection connection, DbTransaction transaction, OutboxMessage m, CancellationToken ct)
    {
        await using var inserts = new OutboxInserts(connection, transaction);
        return await inserts.InsertAsync(m, ct);
    }

    internal static OutboxMessage Read(DbDataReader reader) => new(
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
        ProviderMessageId = reader.NullableString(22),
        ProviderReply = reader.NullableString(23),
        TemplateVersion = reader.IsDBNull(24) ? null : (int)reader.GetInt64(24),
        MessageRef = reader.NullableString(25),
    };
}
