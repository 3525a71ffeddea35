using System.Security.Cryptography;
using System.Text;
using MimeKit;

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
        var message = new MimeMessage
        {
            Subject = email.Subject,
            Date = time.GetUtcNow(),
            MessageId = MessageId(email.MessageKey, from.Domain),
        };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(email.To));

        if (email.OneClickUnsubscribe is { } unsubscribe)
        {
            var value = unsubscribeMailto is { Length: > 0 } mailto
                ? $"<{unsubscribe.AbsoluteUri}>, <mailto:{mailto}?subject=unsubscribe>"
                : $"<{unsubscribe.AbsoluteUri}>";
            message.Headers.Add(HeaderId.ListUnsubscribe, value);
            message.Headers.Add(HeaderId.ListUnsubscribePost, OneClick);
        }

        message.Body = new BodyBuilder { HtmlBody = email.Html, TextBody = email.Text }.ToMessageBody();
        // Fixes every part's transfer encoding now: the relay must receive exactly the bytes that were signed.
        message.Prepare(EncodingConstraint.SevenBit);
        dkim.Sign(message);
        return message;
    }

    /// <summary>
    /// The Message-ID of the message with this key (without angle brackets): the same key always gives the same id,
    /// so a message sent again after a crash is recognizably the same message to the receiver.
    /// </summary>
    public static string MessageId(string messageKey, string domain)
    {
        ArgumentNullException.ThrowIfNull(messageKey);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(messageKey), digest);
        return $"{Convert.ToHexStringLower(digest[..16])}.nudge@{domain}";
    }
}
