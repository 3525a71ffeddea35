namespace Nudge.Storage.Outbox;

/// <summary>
/// A message waiting in the outbox for the delivery workers. Its <see cref="MessageKey"/> says what it is for
/// (<c>optin:{signupId}</c>, later <c>{run}:{step}</c>): one message per key, however often it is written.
/// </summary>
/// <param name="Id">Row id (<c>out_...</c>).</param>
/// <param name="WorkspaceId">The shop it is sent for.</param>
/// <param name="ProfileId">The recipient's profile, when there is one (an unconfirmed signup has none yet).</param>
/// <param name="Channel">email (sms, push and webhook later).</param>
/// <param name="MessageKey">The idempotency key.</param>
/// <param name="Recipient">Where it goes: an email address for email.</param>
/// <param name="Subject">Email subject.</param>
/// <param name="BodyHtml">HTML body.</param>
/// <param name="BodyText">Plain-text body.</param>
/// <param name="CreatedAt">When it was written.</param>
/// <param name="Status">pending, then whatever delivery makes of it.</param>
/// <param name="Attempts">Delivery attempts so far.</param>
/// <param name="NextAttemptAt">When it is due.</param>
/// <param name="SentAt">When the provider accepted it.</param>
/// <param name="LastError">The last attempt's error.</param>
public sealed record OutboxMessage(
    string Id,
    string WorkspaceId,
    string? ProfileId,
    string Channel,
    string MessageKey,
    string Recipient,
    string? Subject,
    string? BodyHtml,
    string? BodyText,
    DateTimeOffset CreatedAt,
    string Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? SentAt,
    string? LastError)
{
    /// <summary>The provider's id of the accepted message (SMTP queue id, API message id), when it gave one.</summary>
    public string? ProviderMessageId { get; init; }

    /// <summary>The provider's last reply (SMTP reply line, HTTP status and message).</summary>
    public string? ProviderReply { get; init; }

    /// <summary>A new email, due at once.</summary>
    public static OutboxMessage Email(
        string workspaceId, string? profileId, string messageKey, string recipient, string subject, string bodyHtml, string bodyText, DateTimeOffset now) =>
        new("out_" + Guid.CreateVersion7().ToString("N"), workspaceId, profileId, "email", messageKey, recipient, subject, bodyHtml, bodyText,
            now, "pending", 0, now, null, null);
}
