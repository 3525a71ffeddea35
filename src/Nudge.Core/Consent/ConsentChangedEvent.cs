namespace Nudge.Core.Consent;

/// <summary>
/// The track event that changes a person's consent on one channel, and the words it uses. Sent by trusted
/// senders only (server keys, Nudge itself); from a browser key it is recorded as refused (ADR 0009).
/// </summary>
/// <remarks>
/// Properties: <c>channel</c> (email, sms, push), <c>status</c> (subscribed, unsubscribed), <c>source</c>,
/// <c>wording</c> (the exact text the person saw), <c>ip</c> and <c>user_agent</c> (else <c>context.ip</c> and
/// <c>context.userAgent</c>).
/// </remarks>
public static class ConsentChangedEvent
{
    public const string Name = "Consent Changed";

    public const string Subscribed = "subscribed";
    public const string Unsubscribed = "unsubscribed";

    /// <summary>How the segment language and the APIs name a channel nobody ever consented to.</summary>
    public const string NeverSubscribed = "neverSubscribed";
}

/// <summary>The sources Nudge itself writes into the consent audit trail.</summary>
public static class ConsentSources
{
    public const string Admin = "admin";
    public const string PreferenceCenter = "preference center";
    public const string OneClickUnsubscribe = "one-click unsubscribe";
    public const string DoubleOptIn = "double opt-in";
}
