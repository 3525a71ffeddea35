using Nudge.Storage.Outbox;

namespace Nudge.Server.Delivery;

/// <summary>A message in the delivery log.</summary>
/// <param name="Id">The message id (<c>out_...</c>).</param>
/// <param name="Key">The idempotency key it was written under (<c>optin:{signup}</c>, <c>{run}:{step}</c>).</param>
/// <param name="ProfileId">The recipient's profile, when there is one.</param>
/// <param name="Channel">email.</param>
/// <param name="Recipient">The address it goes to.</param>
/// <param name="Subject">The rendered subject.</param>
/// <param name="Status">pending, sending, sent, deferred, bounced, failed or skipped.</param>
/// <param name="Attempts">Attempts so far.</param>
/// <param name="CreatedAt">When it was queued.</param>
/// <param name="NextAttemptAt">When it is (or was) due.</param>
/// <param name="SentAt">When the provider accepted it.</param>
/// <param name="ProviderMessageId">The provider's id (SMTP queue id, API message id).</param>
/// <param name="ProviderReply">The provider's last reply.</param>
/// <param name="TemplateId">The template it was rendered from (flow messages).</param>
/// <param name="TemplateVersion">The version of that template it was rendered from, once prepared.</param>
public sealed record MessageView(
    string Id, string Key, string? ProfileId, string Channel, string Recipient, string? Subject, string Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? SentAt, string? ProviderMessageId, string? ProviderReply,
    string? TemplateId, int? TemplateVersion)
{
    public static MessageView Of(OutboxMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.Id, m.MessageKey, m.ProfileId, m.Channel, m.Recipient, m.Subject, m.Status, m.Attempts, m.CreatedAt, m.NextAttemptAt, m.SentAt,
            m.ProviderMessageId, m.ProviderReply ?? m.LastError, m.Flow?.TemplateId, m.TemplateVersion);
    }
}

/// <summary>A message with its status history.</summary>
/// <param name="Message">The message.</param>
/// <param name="History">Every status it went through, oldest first (queued, sent, deferred, bounced, ...).</param>
public sealed record MessageDetail(MessageView Message, IReadOnlyList<MessageEventView> History);

/// <summary>One entry of a message's history.</summary>
/// <param name="Status">
/// queued, prepared, delayed, sent, deferred, bounced, failed, skipped, unrecorded, and after sending delivered, opened,
/// clicked, viewed, complained or unsubscribed.
/// </param>
/// <param name="At">When.</param>
/// <param name="Detail">The provider's reply, the reason, the link clicked, or whether a machine did it.</param>
public sealed record MessageEventView(string Status, DateTimeOffset At, string? Detail);

/// <summary>A page of the delivery log.</summary>
/// <param name="Messages">Newest first.</param>
/// <param name="Next">Pass it as <c>before</c> for the next page; null on the last page.</param>
public sealed record MessagesPage(IReadOnlyList<MessageView> Messages, string? Next);
