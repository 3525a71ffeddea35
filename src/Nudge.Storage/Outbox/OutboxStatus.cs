namespace Nudge.Storage.Outbox;

/// <summary>The states of an outbox message, and the statuses of its history in the delivery log.</summary>
public static class OutboxStatus
{
    /// <summary>Written, never tried.</summary>
    public const string Pending = "pending";

    /// <summary>Claimed by a delivery worker, which is handing it to the provider.</summary>
    public const string Sending = "sending";

    /// <summary>The provider accepted it.</summary>
    public const string Sent = "sent";

    /// <summary>A temporary failure; tried again at next_attempt_at.</summary>
    public const string Deferred = "deferred";

    /// <summary>The recipient's server refused the address for good (a hard bounce); the address is suppressed.</summary>
    public const string Bounced = "bounced";

    /// <summary>Refused for good for another reason, or out of attempts.</summary>
    public const string Failed = "failed";

    /// <summary>Not sent on purpose (the address is suppressed, ...); the detail says why.</summary>
    public const string Skipped = "skipped";

    /// <summary>
    /// In history: the message was written to the outbox. As a status: a flow step's message that still waits to be
    /// rendered and checked by the delivery policy (<see cref="OutboxMessage.Queued"/>); the email worker sends only
    /// pending and deferred messages.
    /// </summary>
    public const string Queued = "queued";

    /// <summary>A queued message claimed by the preparation stage, which renders it and applies the delivery policy.</summary>
    public const string Preparing = "preparing";

    /// <summary>History only: the policy held the message back until a later time (quiet hours); it is prepared again then.</summary>
    public const string Delayed = "delayed";

    /// <summary>
    /// History only: a worker claimed the message and stopped before recording what the provider said; it is tried
    /// again, and if the provider had accepted it the recipient gets it twice.
    /// </summary>
    public const string Unrecorded = "unrecorded";

    /// <summary>History only: the receiving system reported it delivered (a DSN with Action delivered, a provider's delivery webhook).</summary>
    public const string Delivered = "delivered";

    /// <summary>History only: the recipient opened it (the open pixel loaded); the detail says when a machine did.</summary>
    public const string Opened = "opened";

    /// <summary>History only: the recipient clicked a tracked link; the detail names the link.</summary>
    public const string Clicked = "clicked";

    /// <summary>History only: the recipient opened it in the browser through its view-in-browser link.</summary>
    public const string Viewed = "viewed";

    /// <summary>History only: the recipient marked it as spam (a feedback-loop report or a provider's complaint); the address is suppressed.</summary>
    public const string Complained = "complained";

    /// <summary>History only: the recipient unsubscribed through this message's link.</summary>
    public const string Unsubscribed = "unsubscribed";

    /// <summary>Every status a message can be in, for validating filters.</summary>
    public static readonly IReadOnlyList<string> All = [Queued, Preparing, Pending, Sending, Sent, Deferred, Bounced, Failed, Skipped];
}
