namespace Nudge.Channels.Delivery;

/// <summary>What a channel's provider made of one message: every channel (email, SMS, push, webhook) answers with this.</summary>
/// <param name="Kind">Accepted, or how it failed.</param>
/// <param name="ProviderMessageId">The provider's id for an accepted message (SMTP queue id, API message id), when it gives one.</param>
/// <param name="Detail">The provider's own words (SMTP reply, HTTP status and body excerpt) for the delivery log.</param>
/// <param name="RetryAfter">For a temporary failure, how long the provider asked us to wait, when it said.</param>
public sealed record SendOutcome(SendOutcomeKind Kind, string? ProviderMessageId, string? Detail, TimeSpan? RetryAfter = null)
{
    /// <summary>
    /// For a permanent failure: the provider refused the recipient itself (SMTP 5xx on RCPT, an inactive or invalid
    /// recipient at an API), so the address must be suppressed; false when the message or the sender was refused.
    /// </summary>
    public bool RecipientRejected { get; init; }

    /// <summary>The provider took the message.</summary>
    public static SendOutcome Accepted(string? providerMessageId, string? detail = null) => new(SendOutcomeKind.Accepted, providerMessageId, detail);

    /// <summary>Try again later (SMTP 4xx, connection lost, HTTP 429/5xx).</summary>
    public static SendOutcome Temporary(string detail, TimeSpan? retryAfter = null) => new(SendOutcomeKind.TemporaryFailure, null, detail, retryAfter);

    /// <summary>Never try again (SMTP 5xx, invalid recipient, push subscription gone).</summary>
    public static SendOutcome Permanent(string detail) => new(SendOutcomeKind.PermanentFailure, null, detail);

    /// <summary>Never try again, and never send to this address again: the recipient does not exist (a hard bounce).</summary>
    public static SendOutcome Bounced(string detail) => new(SendOutcomeKind.PermanentFailure, null, detail) { RecipientRejected = true };
}

/// <summary>The three answers a provider can give.</summary>
public enum SendOutcomeKind
{
    /// <summary>Accepted by the provider.</summary>
    Accepted,

    /// <summary>Not accepted now; retry with backoff.</summary>
    TemporaryFailure,

    /// <summary>Not accepted, ever (bounce, gone).</summary>
    PermanentFailure,
}
