namespace Nudge.Core.Tracking;

/// <summary>What a receiving mail system reported about a message.</summary>
public enum FeedbackKind
{
    /// <summary>Delivered to the mailbox (or relayed onward for good).</summary>
    Delivered,

    /// <summary>Still trying: a warning, not a bounce.</summary>
    Delayed,

    /// <summary>Refused for now or for a reason that may pass (mailbox full, policy, too large).</summary>
    SoftBounce,

    /// <summary>Refused for good because of the address (no such user, no such domain, mailbox disabled).</summary>
    HardBounce,

    /// <summary>The person marked it as spam (a feedback-loop report or a provider's complaint).</summary>
    Complaint,
}
