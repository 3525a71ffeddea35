namespace Nudge.Storage.Outbox;

/// <summary>What the preparation stage made of a queued message.</summary>
/// <param name="Id">The outbox row.</param>
/// <param name="Status">pending (rendered, ready to send), queued again (delayed until <paramref name="NextAttemptAt"/>), skipped or failed.</param>
/// <param name="History">The status written to the message's history: queued→pending is "prepared", a delay "delayed".</param>
/// <param name="At">When it was decided.</param>
/// <param name="Recipient">The address it goes to (for pending).</param>
/// <param name="Subject">Rendered subject.</param>
/// <param name="BodyHtml">Rendered HTML.</param>
/// <param name="BodyText">Rendered plain text.</param>
/// <param name="NextAttemptAt">When to send (pending) or prepare again (delayed).</param>
/// <param name="Detail">The policy's rule and reason, or the rendering error, for the delivery log.</param>
public sealed record PreparedMessage(
    string Id, string Status, string History, DateTimeOffset At, string? Recipient, string? Subject, string? BodyHtml, string? BodyText,
    DateTimeOffset? NextAttemptAt, string? Detail)
{
    /// <summary>The version of the template it was rendered from, for the delivery log.</summary>
    public int? TemplateVersion { get; init; }
}

/// <summary>A message the recipient was sent (or is about to be), as the delivery policy counts them.</summary>
/// <param name="Channel">email, sms, push, webhook.</param>
/// <param name="At">When it went (or is due to go).</param>
/// <param name="Transactional">Exempt from smart sending and caps.</param>
public sealed record RecentSend(string Channel, DateTimeOffset At, bool Transactional);
