using System.Data.Common;
using Nudge.Core.Tracking;

namespace Nudge.Storage.Outbox;

/// <summary>
/// Writes messages into the outbox within one transaction, with their first line in the delivery log. The two
/// statements are prepared once and reused: a group commit of flow moves writes hundreds of messages.
/// </summary>
internal sealed class OutboxInserts(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    private readonly DbCommand _message = connection.Reusable(transaction,
        "INSERT INTO outbox (id, workspace_id, profile_id, channel, message_key, recipient, subject, body_html, body_text, created_at, " +
        "status, attempts, next_attempt_at, template_id, flow_id, run_id, step_id, priority, transactional, smart_sending_ms, message_ref) " +
        "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16, @p17, @p18, @p19, @p20) " +
        "ON CONFLICT (message_key) DO NOTHING", 21);

    private readonly DbCommand _history = connection.Reusable(transaction,
        "INSERT INTO message_events (outbox_id, workspace_id, status, at) VALUES (@p0, @p1, @p2, @p3)", 4);

    /// <summary>Writes a message; false when a message with its key was written before (nothing changes then).</summary>
    public async Task<bool> InsertAsync(OutboxMessage m, CancellationToken ct)
    {
        var added = await _message.RunAsync(ct,
            m.Id, m.WorkspaceId, m.ProfileId, m.Channel, m.MessageKey, m.Recipient, m.Subject, m.BodyHtml, m.BodyText,
            m.CreatedAt.ToUnixTimeMilliseconds(), m.Status, (long)m.Attempts, m.NextAttemptAt.ToUnixTimeMilliseconds(),
            m.Flow?.TemplateId, m.Flow?.FlowId, m.Flow?.RunId, m.Flow?.StepId, (long)(m.Flow?.Priority ?? 0), m.Flow is { Transactional: true } ? 1L : 0L,
            m.Flow?.SmartSending is { } window ? (long)window.TotalMilliseconds : null, m.MessageRef ?? MessageRef.Of(m.MessageKey));
        if (added != 1)
            return false;
        await _history.RunAsync(ct, m.Id, m.WorkspaceId, OutboxStatus.Queued, m.CreatedAt.ToUnixTimeMilliseconds());
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _message.DisposeAsync();
        await _history.DisposeAsync();
    }
}
