using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using Nudge.Channels.Delivery;

namespace Nudge.Channels.Email.Smtp;

/// <summary>What an SMTP reply means for a message: RFC 5321 4xx is temporary, 5xx permanent, and a 5xx to RCPT is a hard bounce.</summary>
public static partial class SmtpReplies
{
    /// <summary>The outcome of a command the relay refused.</summary>
    public static SendOutcome Refused(SmtpCommandException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var code = (int)refusal.StatusCode;
        var detail = $"{code} {refusal.Message}".Trim();
        if (code is >= 400 and < 500)
            return SendOutcome.Temporary(detail);
        return refusal.ErrorCode == SmtpErrorCode.RecipientNotAccepted ? SendOutcome.Bounced(detail) : SendOutcome.Permanent(detail);
    }

    /// <summary>The outcome when the relay accepted the message with <paramref name="reply"/> (the text after 250).</summary>
    public static SendOutcome Accepted(string? reply)
    {
        var queued = reply is null ? null : QueuedAs().Match(reply);
        return SendOutcome.Accepted(queued is { Success: true } ? queued.Groups[1].Value : null, ("250 " + reply).Trim());
    }

    [GeneratedRegex(@"queued as ([A-Za-z0-9._-]+)", RegexOptions.CultureInvariant)]
    private static partial Regex QueuedAs();
}
