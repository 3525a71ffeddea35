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

    /// <summary>The version of the template it was rendered from (flow messages, once prepared).</summary>
    public int? TemplateVersion { get; init; }

    /// <summary>The ref in its Message-ID and X-Nudge-Ref header (<see cref="Nudge.Core.Tracking.MessageRef"/>); null for rows older than tracking.</summary>
    public string? MessageRef { get; init; }

    /// <summary>A new email, due at once.</summary>
    public static OutboxMessage Email(
        string workspaceId, string? profileId, string messageKey, string recipient, string subject, string bodyHtml, string bodyText, DateTimeOffset now) =>
        new("out_" + Guid.CreateVersion7().ToString("N"), workspaceId, profileId, "email", messageKey, recipient, subject, bodyHtml, bodyText,
            now, "pending", 0, now, null, null) { MessageRef = Core.Tracking.MessageRef.Of(messageKey) };

    /// <summary>
    /// A flow step's message: queued for delivery to render its template and apply the delivery policy. The key is
    /// (run, step), so the step writes it once however often it is replayed.
    /// </summary>
    public static OutboxMessage FromFlow(string workspaceId, string profileId, string recipient, FlowMessage flow, string channel, DateTimeOffset now) =>
        new("out_" + Guid.CreateVersion7().ToString("N"), workspaceId, profileId, channel, flow.RunId + ":" + flow.StepId, recipient, null, null, null,
            now, Queued, 0, now, null, null) { Flow = flow, MessageRef = Core.Tracking.MessageRef.Of(flow.RunId + ":" + flow.StepId) };

    /// <summary>The status of a message that still needs rendering and the delivery policy's checks.</summary>
    public const string Queued = "queued";

    /// <summary>For a flow step's message: what delivery renders and how it weighs it; null for messages written ready to send.</summary>
    public FlowMessage? Flow { get; init; }
}

/// <summary>What a flow step's message carries for delivery.</summary>
/// <param name="TemplateId">The template to render (none for a webhook call).</param>
/// <param name="FlowId">The flow.</param>
/// <param name="RunId">The run (its trigger event feeds the template).</param>
/// <param name="StepId">The send step.</param>
/// <param name="Priority">The flow's priority, when messages compete.</param>
/// <param name="Transactional">Exempt from smart sending and marketing caps.</param>
/// <param name="SmartSending">The step's smart-sending window; null for the channel's default, zero for off.</param>
public sealed record FlowMessage(string? TemplateId, string FlowId, string RunId, string StepId, int Priority, bool Transactional, TimeSpan? SmartSending);
