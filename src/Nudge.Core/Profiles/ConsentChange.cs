using Nudge.Core.Consent;

namespace Nudge.Core.Profiles;

/// <summary>One entry of a profile's consent audit trail. The trail is append-only: a change never edits an entry.</summary>
/// <param name="Channel">email, sms, push, ...</param>
/// <param name="Granted">The consent asked for: true subscribes, false unsubscribes.</param>
/// <param name="At">Event time of the change.</param>
/// <param name="MessageId">The event that asked for it.</param>
/// <param name="Source">
/// Where the change came from: the <c>source</c> a trusted <c>Consent Changed</c> event names ("double opt-in",
/// "preference center", ...), else the sender ("server key", "nudge"). A refused change always reads "browser key":
/// what an untrusted sender claims is not recorded as where consent came from.
/// </param>
/// <param name="Applied">False when the change was refused (browser keys cannot change consent).</param>
/// <remarks>
/// Profiles are stored as JSON, and entries written before ADR 0009 lack the properties in the body: they read as null.
/// </remarks>
public sealed record ConsentChange(string Channel, bool Granted, DateTimeOffset At, string MessageId, string Source, bool Applied)
{
    /// <summary><c>subscribed</c> or <c>unsubscribed</c>: the state the change asked for.</summary>
    public string Status => Granted ? ConsentChangedEvent.Subscribed : ConsentChangedEvent.Unsubscribed;

    /// <summary>The person's address when they made the choice, if the sender knew it.</summary>
    public string? Ip { get; init; }

    /// <summary>The person's browser when they made the choice, if the sender knew it.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The exact text the person was shown when they made the choice.</summary>
    public string? Wording { get; init; }
}
