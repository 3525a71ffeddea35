namespace Nudge.Channels.Email;

/// <summary>One email ready to go: who it is from and to, what it says, and how the person leaves the list.</summary>
/// <param name="MessageKey">The outbox key (<c>optin:{signup}</c>, <c>{run}:{step}</c>); the Message-ID is derived from it.</param>
/// <param name="From">The sender, e.g. <c>Shop &lt;news@shop.example&gt;</c>; its domain picks the DKIM key.</param>
/// <param name="To">The recipient's address.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Html">The HTML part, if any.</param>
/// <param name="Text">The plain-text part, if any.</param>
/// <param name="OneClickUnsubscribe">
/// The signed RFC 8058 one-click unsubscribe URL of the recipient's profile; with it the message carries
/// <c>List-Unsubscribe</c> and <c>List-Unsubscribe-Post</c>. Null for messages that are not to a profile (opt-in confirmations).
/// </param>
public sealed record OutgoingEmail(string MessageKey, string From, string To, string Subject, string? Html, string? Text, Uri? OneClickUnsubscribe = null);
