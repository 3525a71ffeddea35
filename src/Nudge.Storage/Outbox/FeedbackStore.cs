namespace Nudge.Storage.Outbox;

/// <summary>
/// What comes back after a message is sent (ADR 0019): finding the message a bounce, complaint, open or click is about,
/// adding it to the message's history, and the bounces of each address that soft-bounce suppression counts.
/// </summary>
public sealed class FeedbackStore(Database database)
{
    /// <summary>A message by its id, in any workspace (tracking links carry the id; their signature is checked with the message's workspace secret).</summary>
    public Task<OutboxMessage?> FindAsync(string id, CancellationToken ct) =>
        OneAsync($"SELECT {OutboxStore.Columns} FROM outbox WHERE id = @p0", ct, id);

    /// <summary>The workspace's message whose Message-ID or X-Nudge-Ref carried <paramref name="messageRef"/>.</summary>
    public Task<OutboxMessage?> FindByRefAsync(string workspaceId, string messageRef, CancellationToken ct) =>
        OneAsync($"SELECT {OutboxStore.Columns} FROM outbox WHERE message_ref = @p0 AND workspace_id = @p1", ct, messageRef, workspaceId);

    /// <summary>The workspace's message the provider accepted under <paramref name="providerMessageId"/>.</summary>
    public Task<OutboxMessage?> FindByProviderIdAsync(string workspaceId, string providerMessageId, CancellationToken ct) =>
        OneAsync($"SELECT {OutboxStore.Columns} FROM outbox WHERE provider_message_id = @p0 AND workspace_id = @p1", ct, providerMessageId, workspaceId);

    /// <summary>The workspace of the message with this ref, when Nudge sent one: a shared bounce mailbox serves every workspace.</summary>
    public async Task<string?> WorkspaceOfRefAsync(string messageRef, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarAsync<string?>("SELECT workspace_id FROM outbox WHERE message_ref = @p0 LIMIT 1", ct, messageRef);
    }

    /// <summary>
    /// The workspace's latest message to <paramref name="recipient"/> that went out (sent or bounced) at or before
    /// <paramref name="before"/>: a report that names only the address is about the last message it was sent.
    /// </summary>
    public Task<OutboxMessage?> LatestToAsync(string workspaceId, string recipient, DateTimeOffset before, CancellationToken ct) =>
        OneAsync(
            $"SELECT {OutboxStore.Columns} FROM outbox WHERE workspace_id = @p0 AND recipient = @p1 AND channel = 'email' " +
            $"AND status IN ('{OutboxStatus.Sent}', '{OutboxStatus.Bounced}') AND sent_at <= @p2 ORDER BY sent_at DESC, id DESC LIMIT 1",
            ct, workspaceId, recipient, before.ToUnixTimeMilliseconds());

    /// <summary>
    /// Adds feedback to the messages' histories in one transaction. A bounce (<see cref="OutboxStatus.Bounced"/>) of a
    /// sent message also makes 'bounced' its status: the relay took it, the recipient's system did not.
    /// </summary>
    public async Task RecordAsync(IReadOnlyCollection<MessageFeedback> feedback, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        if (feedback.Count == 0)
            return;
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var history = connection.Reusable(transaction,
            "INSERT INTO message_events (outbox_id, workspace_id, status, at, detail) VALUES (@p0, @p1, @p2, @p3, @p4)", 5);
        await using var bounced = connection.Reusable(transaction,
            $"UPDATE outbox SET status = '{OutboxStatus.Bounced}', last_error = @p1 WHERE id = @p0 AND status = '{OutboxStatus.Sent}'", 2);
        foreach (var f in feedback)
        {
            await history.RunAsync(ct, f.OutboxId, f.WorkspaceId, f.Status, f.At.ToUnixTimeMilliseconds(), f.Detail);
            if (f.Status == OutboxStatus.Bounced)
                await bounced.RunAsync(ct, f.OutboxId, f.Detail);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// The different links of the message clicked from <paramref name="since"/> on (burst detection). A click's history
    /// detail is its URL, followed by <c> (machine: reason)</c> when a machine made it.
    /// </summary>
    public async Task<IReadOnlyList<string>> LinksClickedSinceAsync(string outboxId, DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            $"SELECT DISTINCT detail FROM message_events WHERE outbox_id = @p0 AND status = '{OutboxStatus.Clicked}' AND at >= @p1",
            outboxId, since.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var links = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            if (reader.NullableString(0) is not { } detail)
                continue;
            var machine = detail.IndexOf(MachineSuffix, StringComparison.Ordinal);
            links.Add(machine < 0 ? detail : detail[..machine]);
        }
        return [.. links];
    }

    /// <summary>What follows a machine click's URL in its history detail.</summary>
    public const string MachineSuffix = " (machine: ";

    /// <summary>Remembers a bounce of an address.</summary>
    public async Task AddBounceAsync(EmailBounce bounce, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bounce);
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO email_bounces (workspace_id, address, kind, outbox_id, at, detail) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)",
            ct, bounce.WorkspaceId, bounce.Address, bounce.Hard ? "hard" : "soft", bounce.OutboxId, bounce.At.ToUnixTimeMilliseconds(), bounce.Detail);
    }

    /// <summary>How many soft bounces the address had from <paramref name="since"/> on, counting one per message.</summary>
    public async Task<int> SoftBouncesSinceAsync(string workspaceId, string address, DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        // A message retried by the remote system can bounce twice; it is one failed message. Reports without a message count each.
        return (int)(await connection.ScalarAsync<long>(
            "SELECT COUNT(DISTINCT COALESCE(outbox_id, CAST(id AS TEXT))) FROM email_bounces " +
            "WHERE workspace_id = @p0 AND address = @p1 AND kind = 'soft' AND at >= @p2",
            ct, workspaceId, address, since.ToUnixTimeMilliseconds()));
    }

    private async Task<OutboxMessage?> OneAsync(string sql, CancellationToken ct, params object?[] args)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? OutboxStore.Read(reader) : null;
    }
}
