using System.Globalization;
using System.Text.Json;
using Nudge.Channels.Email.Feedback;
using Nudge.Core.Tracking;

namespace Nudge.Channels.Email.Postmark;

/// <summary>
/// Reads Postmark's webhooks (Bounce, SpamComplaint, Delivery) as feedback reports. Postmark names the message by its
/// own MessageID, which delivery kept as the message's provider id.
/// </summary>
public static class PostmarkFeedback
{
    // Postmark's bounce Types that are about the address for good, and those that may pass.
    private static readonly HashSet<string> Hard = new(StringComparer.OrdinalIgnoreCase) { "HardBounce", "BadEmailAddress", "ManuallyDeactivated" };
    private static readonly HashSet<string> Soft = new(StringComparer.OrdinalIgnoreCase)
    {
        "SoftBounce", "Transient", "DnsError", "Blocked", "DMARCPolicy", "SpamNotification", "ChallengeVerification", "Unknown",
    };

    /// <summary>The report in one webhook body; null for record types and bounce types that are not feedback (auto-responders, opens, ...).</summary>
    public static MailFeedbackReport? Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            return null;
        var record = Text(body, "RecordType");
        var messageId = Text(body, "MessageID");
        switch (record)
        {
            case "Delivery":
                return new MailFeedbackReport(FeedbackKind.Delivered, Text(body, "Recipient"), "delivered", Text(body, "Details"), null, null)
                { ProviderMessageId = messageId, At = Time(body, "DeliveredAt") };
            case "SpamComplaint":
                return new MailFeedbackReport(FeedbackKind.Complaint, Text(body, "Email"), "abuse", Text(body, "Description"), null, null)
                { ProviderMessageId = messageId, At = Time(body, "BouncedAt") };
            case "Bounce":
                var type = Text(body, "Type") ?? "";
                FeedbackKind? kind = type.Equals("SpamComplaint", StringComparison.OrdinalIgnoreCase) ? FeedbackKind.Complaint
                    : Hard.Contains(type) ? FeedbackKind.HardBounce
                    : Soft.Contains(type) ? FeedbackKind.SoftBounce
                    : null;
                if (kind is null)
                    return null;
                var details = Text(body, "Details");
                var description = Text(body, "Description");
                return new MailFeedbackReport(kind.Value, Text(body, "Email"), type, details is { Length: > 0 } ? details : description, null, null)
                { ProviderMessageId = messageId, At = Time(body, "BouncedAt") };
            default:
                return null;
        }
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement body, string name) =>
        DateTimeOffset.TryParse(Text(body, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
