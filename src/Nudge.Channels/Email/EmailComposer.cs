using System.Text;
using MimeKit;
using Nudge.Core.Tracking;

namespace Nudge.Channels.Email;

/// <summary>
/// Turns an <see cref="OutgoingEmail"/> into the MIME message that goes on the wire: From, To, Subject, Date, a
/// Message-ID derived from the message key, an HTML part with its plain-text alternative, the RFC 8058 unsubscribe
/// headers, and the DKIM signature of the From domain.
/// </summary>
public sealed class EmailComposer(DkimSigning dkim, TimeProvider time, string? unsubscribeMailto = null)
{
    /// <summary>The value of <c>List-Unsubscribe-Post</c> (RFC 8058).</summary>
    public const string OneClick = "List-Unsubscribe=One-Click";

    /// <summary>The complete, signed message.</summary>
    public MimeMessage Compose(OutgoingEmail email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var from = MailboxAddress.Parse(email.From);
        // Built from a header list: the parameterless constructor asks the machine for its host name for a random
        // Message-ID (costly per message, and replaced here anyway).
        var message = new MimeMessage((IEnumerable<Header>)[new Header(HeaderId.MimeVersion, "1.0")])
        {
            Subject = email.Subject,
            Date = time.GetUtcNow(),
            MessageId = MessageId(email.MessageKey, from.Domain),
        };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(email.To));
        // Bounces that quote only some headers of the original still name the message (ADR 0019).
        message.Headers.Add(MessageRef.Header, MessageRef.Of(email.MessageKey));

        if (email.OneClickUnsubscribe is { } unsubscribe)
        {
            var value = unsubscribeMailto is { Length: > 0 } mailto
                ? $"<{unsubscribe.AbsoluteUri}>, <mailto:{mailto}?subject=unsubscribe>"
                : $"<{unsubscribe.AbsoluteUri}>";
            message.Headers.Add(HeaderId.ListUnsubscribe, value);
            message.Headers.Add(HeaderId.ListUnsubscribePost, OneClick);
        }

        message.Body = Body(email.Text, email.Html);
        dkim.Sign(message);
        return message;
    }

    /// <summary>
    /// The text part, the HTML part, or both as alternatives. Quoted-printable from the start: 7-bit safe, so no relay
    /// (with or without 8BITMIME) re-encodes the bytes that were signed, and MimeKit need not scan the text to choose.
    /// </summary>
    private static MimeEntity Body(string? text, string? html)
    {
        var plain = text is null ? null : Part("plain", text);
        var rich = html is null ? null : Part("html", html);
        if (plain is not null && rich is not null)
            return new MultipartAlternative { plain, rich };
        return (MimeEntity?)rich ?? plain ?? Part("plain", "");
    }

    private static TextPart Part(string subtype, string content)
    {
        var part = new TextPart(subtype) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.SetText(Encoding.UTF8, content);
        return part;
    }

    /// <summary>
    /// The Message-ID of the message with this key (without angle brackets): the same key always gives the same id,
    /// so a message sent again after a crash is recognizably the same message to the receiver.
    /// </summary>
    public static string MessageId(string messageKey, string domain)
    {
        ArgumentNullException.ThrowIfNull(messageKey);
        return $"{MessageRef.Of(messageKey)}{MessageRef.Suffix}@{domain}";
    }
}
