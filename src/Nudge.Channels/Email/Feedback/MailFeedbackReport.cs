using Nudge.Core.Tracking;

namespace Nudge.Channels.Email.Feedback;

/// <summary>One recipient's part of a bounce (RFC 3464 delivery status notification) or a complaint (RFC 5965 ARF report).</summary>
/// <param name="Kind">Hard or soft bounce, delay warning, delivery, or complaint.</param>
/// <param name="Recipient">The address it is about (Final-Recipient, Original-Rcpt-To); null when the report withholds it.</param>
/// <param name="Status">The RFC 3463 status code (<c>5.1.1</c>) of a DSN; for a complaint its Feedback-Type (<c>abuse</c>).</param>
/// <param name="Diagnostic">What the remote server said (Diagnostic-Code), when it said something.</param>
/// <param name="MessageRef">Nudge's ref of the original message (from its X-Nudge-Ref or Message-ID), when the report quotes it.</param>
/// <param name="OriginalMessageId">The original message's Message-ID, when quoted.</param>
public sealed record MailFeedbackReport(
    FeedbackKind Kind, string? Recipient, string? Status, string? Diagnostic, string? MessageRef, string? OriginalMessageId)
{
    /// <summary>The provider's id of the message, when a provider's webhook reported it (Postmark's MessageID).</summary>
    public string? ProviderMessageId { get; init; }

    /// <summary>When it happened, when the report says.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>One line for the delivery log: status and diagnostic.</summary>
    public string Detail => Diagnostic is { Length: > 0 } d ? $"{Status}: {d}" : Status ?? Kind.ToString();
}
