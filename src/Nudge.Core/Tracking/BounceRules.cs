namespace Nudge.Core.Tracking;

/// <summary>
/// Reads a delivery status notification's Action and Status (RFC 3464, codes of RFC 3463) as a kind of feedback:
/// only a permanent failure about the address itself is a hard bounce; everything else that failed is soft, and
/// counts toward suppression only when it repeats.
/// </summary>
public static class BounceRules
{
    /// <summary>The kind of feedback of one recipient's Action and Status fields.</summary>
    public static FeedbackKind Classify(string? action, string? status)
    {
        switch (action?.Trim().ToLowerInvariant())
        {
            case "delivered" or "relayed" or "expanded":
                return FeedbackKind.Delivered;
            case "delayed":
                return FeedbackKind.Delayed;
        }

        var code = Code.Parse(status);
        if (code is null)
            return FeedbackKind.HardBounce;
        if (code.Value.Class == 2)
            return FeedbackKind.Delivered;
        if (code.Value.Class == 4)
            return FeedbackKind.SoftBounce;
        return code.Value switch
        {
            // 5.1.x: bad mailbox, bad domain, no MX (the address); 5.0.0: the generic failure servers use for unknown users.
            { Subject: 1 } or { Subject: 0, Detail: 0 } => FeedbackKind.HardBounce,
            // 5.2.1: the mailbox is disabled and accepts nothing.
            { Subject: 2, Detail: 1 } => FeedbackKind.HardBounce,
            // 5.2.2 mailbox full, 5.3.x system, 5.4.x routing, 5.5.x protocol, 5.6.x content, 5.7.x policy: not the address.
            _ => FeedbackKind.SoftBounce,
        };
    }

    private readonly record struct Code(int Class, int Subject, int Detail)
    {
        public static Code? Parse(string? status)
        {
            if (string.IsNullOrWhiteSpace(status))
                return null;
            // "5.1.1", or "5.1.1 (bad destination mailbox)" as some servers write it.
            var parts = status.Trim().Split(' ', 2)[0].Split('.');
            if (parts.Length != 3 || !int.TryParse(parts[0], out var c) || !int.TryParse(parts[1], out var s) || !int.TryParse(parts[2], out var d)
                || c is not (2 or 4 or 5))
            {
                return null;
            }
            return new Code(c, s, d);
        }
    }
}
