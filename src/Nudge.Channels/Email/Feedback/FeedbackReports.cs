using System.Text.RegularExpressions;
using MimeKit;
using Nudge.Core.Tracking;

namespace Nudge.Channels.Email.Feedback;

/// <summary>
/// Reads bounces and complaints as mail systems send them: a <c>multipart/report</c> with a
/// <c>message/delivery-status</c> part (RFC 3464) or a <c>message/feedback-report</c> part (RFC 5965, ARF), and the
/// original message or its headers, which name the message through Nudge's Message-ID or X-Nudge-Ref. A report
/// forwarded as an attachment (a mailbox's forwarding rule) is found inside the forwarded message.
/// </summary>
public static partial class FeedbackReports
{
    private const int MaxDepth = 4;

    /// <summary>The reports in a raw MIME message; empty when it is neither a DSN nor an ARF report.</summary>
    public static async Task<IReadOnlyList<MailFeedbackReport>> ParseAsync(Stream mime, CancellationToken ct)
    {
        var message = await MimeMessage.LoadAsync(mime, ct);
        return Parse(message);
    }

    /// <summary>The reports in a parsed message; empty when it is neither a DSN nor an ARF report.</summary>
    public static IReadOnlyList<MailFeedbackReport> Parse(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return FindReport(message.Body, 0) is { } report ? Read(report) : [];
    }

    private static MultipartReport? FindReport(MimeEntity? entity, int depth)
    {
        if (entity is null || depth > MaxDepth)
            return null;
        switch (entity)
        {
            case MultipartReport report:
                return report;
            case Multipart multipart:
                foreach (var part in multipart)
                {
                    if (FindReport(part, depth + 1) is { } found)
                        return found;
                }
                return null;
            case TextRfc822Headers:
                return null;
            case MessagePart { Message: { } inner }:
                return FindReport(inner.Body, depth + 1);
            default:
                return null;
        }
    }

    private static IReadOnlyList<MailFeedbackReport> Read(MultipartReport report)
    {
        var original = Original(report);
        var messageId = original?[HeaderId.MessageId]?.Trim();
        var reference = Ref(original, report);
        if (report.OfType<MessageDeliveryStatus>().FirstOrDefault() is { } dsn)
            return Bounces(dsn, reference, messageId);
        if (report.OfType<MessageFeedbackReport>().FirstOrDefault() is { } arf)
            return [Complaint(arf, original, reference, messageId)];
        return [];
    }

    private static IReadOnlyList<MailFeedbackReport> Bounces(MessageDeliveryStatus dsn, string? reference, string? messageId)
    {
        var reports = new List<MailFeedbackReport>();
        // The first group describes the whole message; each further group one recipient.
        foreach (var fields in dsn.StatusGroups.Skip(1))
        {
            var status = fields["Status"]?.Trim();
            var recipient = Address(fields["Final-Recipient"]) ?? Address(fields["Original-Recipient"]);
            var diagnostic = Unfold(fields["Diagnostic-Code"]);
            if (diagnostic is not null && diagnostic.StartsWith("smtp;", StringComparison.OrdinalIgnoreCase))
                diagnostic = diagnostic[5..].Trim();
            reports.Add(new MailFeedbackReport(BounceRules.Classify(fields["Action"], status), recipient, status, diagnostic, reference, messageId));
        }
        return reports;
    }

    private static MailFeedbackReport Complaint(MessageFeedbackReport arf, HeaderList? original, string? reference, string? messageId)
    {
        var fields = arf.Fields;
        var type = fields["Feedback-Type"]?.Trim().ToLowerInvariant() ?? "abuse";
        // Many feedback loops redact the recipient; the message found by its ref names it then.
        var recipient = Address(fields["Original-Rcpt-To"]) ?? Address(fields["Removal-Recipient"])
            ?? (original?[HeaderId.To] is { } to && InternetAddressList.TryParse(to, out var list) ? list.Mailboxes.FirstOrDefault()?.Address : null);
        return new MailFeedbackReport(FeedbackKind.Complaint, recipient, type, Unfold(fields["User-Agent"]), reference, messageId);
    }

    /// <summary>The headers of the original message: the third part of the report (message/rfc822 or text/rfc822-headers).</summary>
    private static HeaderList? Original(MultipartReport report)
    {
        foreach (var part in report.Skip(1))
        {
            if (part is MessagePart { Message: { } message })
                return message.Headers;
        }
        return null;
    }

    private static string? Ref(HeaderList? original, MultipartReport report)
    {
        if (original is not null)
        {
            if (original[MessageRef.Header]?.Trim() is { } header && MessageRef.IsRef(header))
                return header.ToLowerInvariant();
            if (MessageRef.FromMessageId(original[HeaderId.MessageId]) is { } fromId)
                return fromId;
        }
        // Some servers quote the original only in the human-readable part.
        foreach (var text in report.OfType<TextPart>())
        {
            if (QuotedRef().Match(text.Text ?? "") is { Success: true } match)
                return match.Groups[1].Value.ToLowerInvariant();
        }
        return null;
    }

    /// <summary>The address of a DSN/ARF address field (<c>rfc822; ada@example.com</c>, <c>&lt;ada@example.com&gt;</c>).</summary>
    private static string? Address(string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
            return null;
        var value = field.Trim();
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        if (semicolon >= 0)
            value = value[(semicolon + 1)..].Trim();
        value = value.Trim('<', '>', ' ');
        return value.Contains('@', StringComparison.Ordinal) ? value : null;
    }

    private static string? Unfold(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : Whitespace().Replace(value.Trim(), " ");

    [GeneratedRegex(@"\b([0-9a-fA-F]{32})\.nudge@", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedRef();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
